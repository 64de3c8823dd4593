using Hl7.Fhir.Model;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Document;
using SpinePolicy.PolicyEngine.Necessity;

namespace SpinePolicy.FhirQuestionnaire.Answers;

/// <summary>
/// Reads answers from a QuestionnaireResponse by the criterion code on each Questionnaire item
/// (never by linkId or text), so that a questionnaire can be re-worded or re-ordered without
/// changing a decision. Items without a criterion code (e.g. demographics shown for context) are
/// carried by the form but do not reach the engine.
/// </summary>
public sealed class QuestionnaireAnswerReader(Policy policy, IQuestionnaireCatalog catalog)
{
    public QuestionnaireAnswers Read(QuestionnaireResponse response)
    {
        var problems = new List<string>();
        var canonical = response.Questionnaire;
        if (string.IsNullOrWhiteSpace(canonical))
        {
            return new QuestionnaireAnswers(null, null, new Dictionary<string, CriterionAnswer>(), ["QuestionnaireResponse.questionnaire is missing."]);
        }

        var questionnaire = catalog.Find(canonical);
        if (questionnaire is null)
        {
            return new QuestionnaireAnswers(null, null, new Dictionary<string, CriterionAnswer>(), [$"Questionnaire '{canonical}' is not one this payer publishes."]);
        }

        var family = questionnaire.Url is { } url ? policy.FindFamilyByQuestionnaire(url) : null;
        var itemsByLinkId = new Dictionary<string, Questionnaire.ItemComponent>(StringComparer.Ordinal);
        IndexItems(questionnaire.Item, itemsByLinkId);

        var answers = new Dictionary<string, CriterionAnswer>(StringComparer.Ordinal);
        ReadItems(response.Item, itemsByLinkId, answers, problems);
        if (family is null)
        {
            problems.Add($"Questionnaire '{questionnaire.Url}' is not tied to a service family of policy {policy.Document.PolicyNumber}.");
        }

        return new QuestionnaireAnswers(questionnaire, family?.Code, answers, problems);
    }

    private static void IndexItems(List<Questionnaire.ItemComponent> items, Dictionary<string, Questionnaire.ItemComponent> index)
    {
        foreach (var item in items)
        {
            if (item.LinkId is { } linkId)
            {
                index[linkId] = item;
            }

            IndexItems(item.Item, index);
        }
    }

    private void ReadItems(List<QuestionnaireResponse.ItemComponent> items, Dictionary<string, Questionnaire.ItemComponent> index, Dictionary<string, CriterionAnswer> answers, List<string> problems)
    {
        foreach (var item in items)
        {
            if (item.LinkId is not { } linkId || !index.TryGetValue(linkId, out var definition))
            {
                problems.Add($"Item '{item.LinkId}' is not an item of the questionnaire.");
                continue;
            }

            ReadItems(item.Item, index, answers, problems);
            foreach (var answer in item.Answer)
            {
                ReadItems(answer.Item, index, answers, problems);
            }

            var criterion = CriterionOf(definition);
            if (criterion is null || item.Answer.Count == 0)
            {
                continue;
            }

            if (answers.ContainsKey(criterion.Code))
            {
                problems.Add($"Criterion '{criterion.Code}' is answered more than once.");
                continue;
            }

            if (Convert(criterion, item.Answer, problems) is { } converted)
            {
                answers[criterion.Code] = converted;
            }
        }
    }

    private CriterionDefinition? CriterionOf(Questionnaire.ItemComponent definition)
    {
        foreach (var coding in definition.Code)
        {
            if (coding.System == policy.Document.CriteriaSystem && coding.Code is { } code)
            {
                return policy.FindCriterion(code);
            }
        }

        return null;
    }

    private static CriterionAnswer? Convert(CriterionDefinition criterion, List<QuestionnaireResponse.AnswerComponent> given, List<string> problems)
    {
        var repeats = criterion.Type == CriterionType.Levels;
        if (!repeats && given.Count > 1)
        {
            problems.Add($"Criterion '{criterion.Code}' takes one answer but has {given.Count}.");
            return null;
        }

        switch (criterion.Type)
        {
            case CriterionType.Boolean when given[0].Value is FhirBoolean { Value: { } b }:
                return new BooleanAnswer(b);
            case CriterionType.Integer when given[0].Value is Integer { Value: { } i }:
                return new NumberAnswer(i);
            case CriterionType.Decimal when given[0].Value is FhirDecimal { Value: { } d }:
                return new NumberAnswer(d);
            case CriterionType.Decimal or CriterionType.Integer when given[0].Value is Quantity { Value: { } q }:
                return new NumberAnswer(q);
            case CriterionType.Choice or CriterionType.Levels:
                var codes = new List<string>(given.Count);
                foreach (var answer in given)
                {
                    if (answer.Value is Coding { Code: { } code })
                    {
                        codes.Add(code);
                    }
                    else
                    {
                        problems.Add($"Criterion '{criterion.Code}' needs coded answers.");
                        return null;
                    }
                }

                return new CodesAnswer(codes);
            default:
                problems.Add($"Criterion '{criterion.Code}' needs a {criterion.Type.ToString().ToLowerInvariant()} answer.");
                return null;
        }
    }
}
