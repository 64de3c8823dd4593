using Hl7.Fhir.Model;

namespace SpinePolicy.FhirQuestionnaire.Artifacts;

/// <summary>
/// Every published standard questionnaire has an adaptive twin, derived at start-up so the two
/// cannot drift: the empty Questionnaire DTR 2.0.1 returns in a package for adaptive forms
/// (profile dtr-questionnaire-adapt-search), marked questionnaireAdaptive, derivedFrom the
/// standard one. A DTR app that gets it runs the form through $next-question, which asks the
/// standard questionnaire's questions the policy still needs.
/// </summary>
internal static class AdaptiveQuestionnaires
{
    public const string Suffix = "-adaptive";

    public static Questionnaire TwinOf(Questionnaire standard) => new()
    {
        Id = standard.Id + Suffix,
        Meta = new Meta { Profile = [DtrCanonicals.Profiles.AdaptiveSearchQuestionnaire] },
        Text = new Narrative
        {
            Status = Narrative.NarrativeStatus.Generated,
            Div = $"<div xmlns=\"http://www.w3.org/1999/xhtml\">Adaptive form of {System.Net.WebUtility.HtmlEncode(standard.Title)}: the questions come one section at a time from $next-question.</div>",
        },
        Extension =
        [
            new Extension(DtrCanonicals.Extensions.QuestionnaireAdaptive, new FhirBoolean(true)),
            .. standard.Extension.Where(e => e.Url == DtrCanonicals.Extensions.CqfLibrary).Select(e => (Extension)e.DeepCopy()),
        ],
        Url = standard.Url + Suffix,
        Version = standard.Version,
        Name = standard.Name + "Adaptive",
        Title = standard.Title + " (adaptive)",
        Status = standard.Status,
        Experimental = standard.Experimental,
        SubjectType = [.. standard.SubjectType],
        Date = standard.Date,
        Publisher = standard.Publisher,
        Description = standard.Description,
        EffectivePeriod = (Period?)standard.EffectivePeriod?.DeepCopy(),
        DerivedFrom = [$"{standard.Url}|{standard.Version}"],
    };

    public static bool IsAdaptive(Questionnaire questionnaire) =>
        questionnaire.Extension.Any(e => e.Url == DtrCanonicals.Extensions.QuestionnaireAdaptive && e.Value is FhirBoolean { Value: true } or FhirUrl);

    /// <summary>The standard questionnaire an adaptive one answers to ("url|version"), or null for a standard one.</summary>
    public static string? StandardCanonicalOf(Questionnaire questionnaire) =>
        IsAdaptive(questionnaire) ? questionnaire.DerivedFrom.FirstOrDefault() : null;
}
