using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Artifacts;

namespace SpinePolicy.FhirQuestionnaire.Evaluation;

/// <summary>
/// The adaptive form a QuestionnaireResponse contains (SDC adaptive questionnaires, DTR
/// dtr-questionnaire-adapt): the published questionnaire pruned to the questions asked so far, in
/// its own sections and order, without enableWhen — in an adaptive form the server decides what
/// is asked. The draft of an adaptive package and every $next-question step are built alike.
/// </summary>
internal static class AdaptiveForm
{
    /// <summary>The contained adaptive Questionnaire holding <paramref name="asked"/> (linkIds of questions).</summary>
    public static Questionnaire Contained(Questionnaire published, IReadOnlySet<string> asked, string id)
    {
        var items = Prune(published.Item, asked);
        var count = QuestionnaireItems.Flatten(items).Count(i => i.Type != Questionnaire.QuestionnaireItemType.Group);
        return new Questionnaire
        {
            Id = id,
            Meta = new Meta { Profile = [DtrCanonicals.Profiles.AdaptiveQuestionnaire] },
            Text = new Narrative
            {
                Status = Narrative.NarrativeStatus.Generated,
                Div = $"<div xmlns=\"http://www.w3.org/1999/xhtml\">Adaptive form for {System.Net.WebUtility.HtmlEncode(published.Title)}: {count} question(s) asked so far.</div>",
            },
            Extension =
            [
                new Extension(DtrCanonicals.Extensions.QuestionnaireAdaptive, new FhirBoolean(true)),
                .. published.Extension.Where(e => e.Url == DtrCanonicals.Extensions.CqfLibrary).Select(e => (Extension)e.DeepCopy()),
            ],
            DerivedFrom = [$"{published.Url}|{published.Version}"],
            Name = $"{published.Name}Adaptive",
            Title = $"{published.Title} (adaptive)",
            Status = PublicationStatus.Active,
            SubjectType = [ResourceType.Patient],
            Date = published.Date,
            Item = items,
        };
    }

    /// <summary>
    /// Response items mirroring the adaptive form's sections: each answered question with its
    /// answers, inside the section it belongs to; sections without an answer are left out.
    /// </summary>
    public static List<QuestionnaireResponse.ItemComponent> Items(
        IEnumerable<Questionnaire.ItemComponent> form,
        IReadOnlyDictionary<string, List<QuestionnaireResponse.AnswerComponent>> answers)
    {
        var items = new List<QuestionnaireResponse.ItemComponent>();
        foreach (var definition in form)
        {
            if (definition.Type == Questionnaire.QuestionnaireItemType.Group)
            {
                var children = Items(definition.Item, answers);
                if (children.Count > 0)
                {
                    items.Add(new QuestionnaireResponse.ItemComponent { LinkId = definition.LinkId, Text = definition.Text, Item = children });
                }
            }
            else if (definition.LinkId is { } linkId && answers.TryGetValue(linkId, out var given) && given.Count > 0)
            {
                items.Add(new QuestionnaireResponse.ItemComponent
                {
                    LinkId = linkId,
                    Text = definition.Text,
                    Answer = given.Select(a => (QuestionnaireResponse.AnswerComponent)a.DeepCopy()).ToList(),
                });
            }
        }

        return items;
    }

    private static List<Questionnaire.ItemComponent> Prune(IEnumerable<Questionnaire.ItemComponent> items, IReadOnlySet<string> asked)
    {
        var kept = new List<Questionnaire.ItemComponent>();
        foreach (var item in items)
        {
            if (item.Type == Questionnaire.QuestionnaireItemType.Group)
            {
                var children = Prune(item.Item, asked);
                if (children.Count > 0)
                {
                    var section = (Questionnaire.ItemComponent)item.DeepCopy();
                    section.Item = children;
                    kept.Add(section);
                }
            }
            else if (item.LinkId is { } linkId && asked.Contains(linkId))
            {
                var question = (Questionnaire.ItemComponent)item.DeepCopy();
                question.EnableWhen.Clear();
                question.EnableBehavior = null;
                kept.Add(question);
            }
        }

        return kept;
    }
}
