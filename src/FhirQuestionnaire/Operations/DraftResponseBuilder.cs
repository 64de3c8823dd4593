using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.PolicyEngine;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>
/// The draft QuestionnaireResponse of a package: answers the payer already knows (the member's age,
/// an earlier BVNA and its levels for P7.16), each marked information-origin "auto" as DTR requires,
/// so the clinician sees what came from the payer and can override it.
/// </summary>
public sealed class DraftResponseBuilder(Policy policy, TimeProvider time)
{
    private const string PriorBvna = "bvna-prior-bvna";
    private const string PreviouslyTreatedLevels = "bvna-previously-treated-levels";

    /// <summary>Null when the payer knows nothing to pre-fill (a response needs at least one item).</summary>
    public QuestionnaireResponse? Build(Questionnaire questionnaire, DraftFacts facts)
    {
        var known = new Dictionary<string, List<DataType>>(StringComparer.Ordinal);
        if (facts.AgeYears is { } age)
        {
            known[DtrCanonicals.MemberAgeLinkId] = [new Integer(age)];
        }

        if (facts.PreviouslyTreatedLevels.Count > 0
            && LinkIdOf(questionnaire, PriorBvna) is { } priorLinkId
            && LinkIdOf(questionnaire, PreviouslyTreatedLevels) is { } levelsLinkId)
        {
            // P7.16: our earlier decision approved BVNA on these levels.
            known[priorLinkId] = [new FhirBoolean(true)];
            known[levelsLinkId] = facts.PreviouslyTreatedLevels.Select(l => (DataType)new Coding(policy.Document.LevelSystem, l)).ToList();
        }

        var items = Items(questionnaire.Item, known);
        if (items.Count == 0)
        {
            return null;
        }

        return new QuestionnaireResponse
        {
            Id = Guid.NewGuid().ToString("N"),
            Meta = new Meta { Profile = [DtrCanonicals.Profiles.QuestionnaireResponse] },
            Extension =
            [
                new Extension(DtrCanonicals.Extensions.QrContext, new ResourceReference(facts.CoverageReference)),
                new Extension(DtrCanonicals.Extensions.QrContext, new ResourceReference(facts.OrderReference)),
                new Extension(DtrCanonicals.Extensions.IntendedUse, new CodeableConcept(DtrCanonicals.CrdTemp, "withpa", "Include with PA")),
            ],
            Questionnaire = $"{questionnaire.Url}|{questionnaire.Version}",
            Status = QuestionnaireResponse.QuestionnaireResponseStatus.InProgress,
            Subject = new ResourceReference(facts.PatientReference),
            AuthoredElement = new FhirDateTime(time.GetUtcNow()),
            Item = items,
        };
    }

    private static List<QuestionnaireResponse.ItemComponent> Items(List<Questionnaire.ItemComponent> definitions, Dictionary<string, List<DataType>> known)
    {
        var items = new List<QuestionnaireResponse.ItemComponent>();
        foreach (var definition in definitions)
        {
            if (definition.Type == Questionnaire.QuestionnaireItemType.Group)
            {
                var children = Items(definition.Item, known);
                if (children.Count > 0)
                {
                    items.Add(new QuestionnaireResponse.ItemComponent { LinkId = definition.LinkId, Text = definition.Text, Item = children });
                }
            }
            else if (definition.LinkId is { } linkId && known.TryGetValue(linkId, out var values))
            {
                items.Add(new QuestionnaireResponse.ItemComponent
                {
                    LinkId = linkId,
                    Text = definition.Text,
                    Answer = values.Select(v => new QuestionnaireResponse.AnswerComponent { Value = v, Extension = [AutoOrigin()] }).ToList(),
                });
            }
        }

        return items;
    }

    private string? LinkIdOf(Questionnaire questionnaire, string criterionCode) =>
        QuestionnaireItems.Flatten(questionnaire.Item)
            .FirstOrDefault(i => i.Code.Any(c => c.System == policy.Document.CriteriaSystem && c.Code == criterionCode))?.LinkId;

    /// <summary>DTR information-origin: source "auto" (no author: dtrx-1 forbids one for auto).</summary>
    private static Extension AutoOrigin()
    {
        var origin = new Extension { Url = DtrCanonicals.Extensions.InformationOrigin };
        origin.Extension.Add(new Extension("source", new Code("auto")));
        return origin;
    }
}
