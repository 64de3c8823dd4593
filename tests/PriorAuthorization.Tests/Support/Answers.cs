using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Document;

namespace SpinePolicy.PriorAuthorization.Tests.Support;

/// <summary>
/// Fills a published questionnaire the way a DTR client would: each answer goes to the item whose
/// item.code is the criterion code. Starts from a case that meets every criterion of the family.
/// </summary>
public sealed class Answers
{
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);

    private Answers(string family) => Family = family;

    public string Family { get; }

    public static Answers AllMet(string family) => family switch
    {
        "esi" => new Answers(family)
            .Set("esi-radicular-pain-or-neurogenic-claudication", true)
            .Set("esi-spinal-region", new[] { "lumbar" }),
        "facet" => new Answers(family)
            .Set("facet-suspected-facet-mediated-pain", true)
            .Set("facet-prior-injection-same-level", false),
        "bvna" => BvnaAllMet(),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, null),
    };

    public Answers Set(string criterion, object value)
    {
        _values[criterion] = value;
        return this;
    }

    public Answers Remove(string criterion)
    {
        _values.Remove(criterion);
        return this;
    }

    public QuestionnaireResponse ToResponse(Policy policy, IQuestionnaireCatalog catalog)
    {
        var canonical = policy.Family(Family).Questionnaire;
        var questionnaire = catalog.Find(canonical.Url) ?? throw new InvalidOperationException($"No questionnaire {canonical.Url} in the catalog.");
        return ToResponse(policy, questionnaire);
    }

    /// <summary>Fills the given questionnaire (e.g. the one DTR's $questionnaire-package returned).</summary>
    public QuestionnaireResponse ToResponse(Policy policy, Questionnaire questionnaire)
    {
        var byCode = new Dictionary<string, Questionnaire.ItemComponent>(StringComparer.Ordinal);
        Index(questionnaire.Item, policy.Document.CriteriaSystem, byCode);

        var response = new QuestionnaireResponse
        {
            Questionnaire = questionnaire.Version is { } v ? $"{questionnaire.Url}|{v}" : questionnaire.Url,
            Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
            Subject = new ResourceReference("Patient/member-1"),
            AuthoredElement = new FhirDateTime("2026-03-01"),
        };
        foreach (var (code, value) in _values)
        {
            var item = byCode.TryGetValue(code, out var found) ? found : throw new InvalidOperationException($"The questionnaire has no item for criterion {code}.");
            var answer = new QuestionnaireResponse.ItemComponent { LinkId = item.LinkId, Text = item.Text };
            var criterion = policy.FindCriterion(code)!;
            foreach (var part in Values(criterion, value, policy))
            {
                answer.Answer.Add(new QuestionnaireResponse.AnswerComponent { Value = part });
            }

            response.Item.Add(answer);
        }

        return response;
    }

    private static IEnumerable<DataType> Values(CriterionDefinition criterion, object value, Policy policy) => criterion.Type switch
    {
        CriterionType.Boolean => [new FhirBoolean((bool)value)],
        CriterionType.Integer => [new Integer(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture))],
        CriterionType.Decimal => [new FhirDecimal(Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture))],
        CriterionType.Levels => ((string[])value).Select(v => (DataType)new Coding(policy.Document.LevelSystem, v)),
        _ => ((string[])value).Select(v => (DataType)new Coding(policy.Document.CriteriaSystem, v)),
    };

    private static void Index(List<Questionnaire.ItemComponent> items, string system, Dictionary<string, Questionnaire.ItemComponent> byCode)
    {
        foreach (var item in items)
        {
            foreach (var coding in item.Code.Where(c => c.System == system && c.Code is not null))
            {
                byCode.TryAdd(coding.Code!, item);
            }

            Index(item.Item, system, byCode);
        }
    }

    private static Answers BvnaAllMet()
    {
        var answers = new Answers("bvna")
            .Set("bvna-chronic-low-back-pain-6-months", true)
            .Set("bvna-failed-conservative-care-6-months", true)
            .Set("bvna-modic-changes-l3-s1", true)
            .Set("bvna-spondylolisthesis", false)
            .Set("bvna-bmi", 28.5m)
            .Set("bvna-pregnancy-possible", false)
            .Set("bvna-treated-levels", new[] { "L4", "L5" })
            .Set("bvna-prior-bvna", false);
        foreach (var exclusion in new[]
        {
            "bvna-radicular-pain", "bvna-prior-lumbar-surgery", "bvna-symptomatic-spinal-stenosis", "bvna-spine-or-systemic-infection",
            "bvna-osteoporosis-or-fragility-fracture", "bvna-vertebral-fracture-past-year", "bvna-spine-malignancy", "bvna-spondylolysis",
            "bvna-severe-cardiopulmonary-disease", "bvna-poorly-controlled-psychiatric-disease", "bvna-bedbound-or-immobilizing-neurologic-condition",
        })
        {
            answers.Set(exclusion, false);
        }

        return answers;
    }
}
