using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Document;
using SpinePolicy.PolicyEngine.Necessity;

namespace SpinePolicy.Micro;

/// <summary>
/// The family's Questionnaire and a completed response to it. Uses the published Questionnaire from
/// fhir-resources/ when there is one, otherwise one item per criterion built from the policy.
/// </summary>
internal sealed class BenchQuestionnaire : IQuestionnaireCatalog
{
    private readonly Questionnaire _questionnaire;

    public BenchQuestionnaire(Policy policy, string familyCode)
    {
        var family = policy.Family(familyCode);
        _questionnaire = FindPublished(family.Questionnaire.Url) ?? Generate(policy, family);
        IsPublished = _questionnaire.Meta?.Source != "generated-by-bench";
    }

    public bool IsPublished { get; }

    public IReadOnlyList<Questionnaire> All => [_questionnaire];

    public Questionnaire? Find(string canonical)
    {
        var bar = canonical.IndexOf('|', StringComparison.Ordinal);
        var url = bar < 0 ? canonical : canonical[..bar];
        return url == _questionnaire.Url ? _questionnaire : null;
    }

    /// <summary>A response that mirrors the questionnaire's items and answers the criteria given.</summary>
    public QuestionnaireResponse Respond(Policy policy, IReadOnlyDictionary<string, CriterionAnswer> answers) => new()
    {
        Questionnaire = $"{_questionnaire.Url}|{_questionnaire.Version}",
        Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
        Subject = new ResourceReference("Patient/bench-patient"),
        Authored = "2026-11-27T10:00:00Z",
        Item = RespondTo(policy, _questionnaire.Item, answers),
    };

    private static List<QuestionnaireResponse.ItemComponent> RespondTo(Policy policy, List<Questionnaire.ItemComponent> items, IReadOnlyDictionary<string, CriterionAnswer> answers)
    {
        var result = new List<QuestionnaireResponse.ItemComponent>();
        foreach (var item in items)
        {
            if (item.Type == Questionnaire.QuestionnaireItemType.Group)
            {
                var children = RespondTo(policy, item.Item, answers);
                if (children.Count > 0)
                {
                    result.Add(new QuestionnaireResponse.ItemComponent { LinkId = item.LinkId, Item = children });
                }

                continue;
            }

            var code = item.Code.FirstOrDefault(c => c.System == policy.Document.CriteriaSystem)?.Code;
            if (code is null || !answers.TryGetValue(code, out var answer))
            {
                continue;
            }

            result.Add(new QuestionnaireResponse.ItemComponent { LinkId = item.LinkId, Answer = AnswerValues(policy, answer) });
        }

        return result;
    }

    private static List<QuestionnaireResponse.AnswerComponent> AnswerValues(Policy policy, CriterionAnswer answer) => answer switch
    {
        BooleanAnswer b => [new() { Value = new FhirBoolean(b.Value) }],
        NumberAnswer n => [new() { Value = new FhirDecimal(n.Value) }],
        CodesAnswer c => c.Codes.Select(code => new QuestionnaireResponse.AnswerComponent { Value = new Coding(policy.Document.LevelSystem, code) }).ToList(),
        _ => [],
    };

    private static Questionnaire? FindPublished(string url)
    {
        if (!Directory.Exists(BenchPolicy.FhirResources))
        {
            return null;
        }

        foreach (var path in Directory.EnumerateFiles(BenchPolicy.FhirResources, "Questionnaire-*.json", SearchOption.AllDirectories))
        {
            var questionnaire = SpinePolicy.Fhir.FhirJson.Parse<Questionnaire>(File.ReadAllText(path));
            if (questionnaire.Url == url)
            {
                return questionnaire;
            }
        }

        return null;
    }

    private static Questionnaire Generate(Policy policy, ServiceFamilyDefinition family) => new()
    {
        Url = family.Questionnaire.Url,
        Version = family.Questionnaire.Version,
        Meta = new Meta { Source = "generated-by-bench" },
        Status = PublicationStatus.Active,
        Item = policy.CriteriaFor(family.Code).Select(criterion => new Questionnaire.ItemComponent
        {
            LinkId = criterion.Code,
            Text = criterion.Display,
            Code = [new Coding(policy.Document.CriteriaSystem, criterion.Code)],
            Type = criterion.Type switch
            {
                CriterionType.Boolean => Questionnaire.QuestionnaireItemType.Boolean,
                CriterionType.Integer => Questionnaire.QuestionnaireItemType.Integer,
                CriterionType.Decimal => Questionnaire.QuestionnaireItemType.Decimal,
                _ => Questionnaire.QuestionnaireItemType.Choice,
            },
            Repeats = criterion.Type == CriterionType.Levels,
        }).ToList(),
    };
}
