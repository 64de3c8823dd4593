using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.FhirQuestionnaire.Evaluation;
using SpinePolicy.PolicyEngine;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>
/// The draft QuestionnaireResponse every package Bundle carries (DTR 2.0.1: "SHALL contain one or
/// more initial draft QuestionnaireResponses"): subject and qr-context from the request, and the
/// answers the payer already knows (the member's age, an earlier BVNA and its levels for P7.16, and
/// what the clinical resources sent as 'referenced' record: BMI, lumbar surgery, pregnancy),
/// each marked information-origin "auto", so the clinician sees what came from the payer and can
/// override it. What could not be pre-filled is said in words for the package's outcome.
/// </summary>
internal sealed class DraftResponseBuilder(Policy policy, TimeProvider time)
{
    private const string PriorBvna = "bvna-prior-bvna";
    private const string PreviouslyTreatedLevels = "bvna-previously-treated-levels";
    private const string BodyMassIndex = "bvna-bmi";
    private const string PriorLumbarSurgery = "bvna-prior-lumbar-surgery";
    private const string PregnancyPossible = "bvna-pregnancy-possible";
    private const string Pregnancy = "bvna-pregnancy";

    public DraftResponse Build(Questionnaire questionnaire, DraftFacts facts)
    {
        var notPrefilled = new List<string>();
        var known = new Dictionary<string, List<DataType>>(StringComparer.Ordinal);
        var hasAgeItem = QuestionnaireItems.Flatten(questionnaire.Item).Any(i => i.LinkId == DtrCanonicals.MemberAgeLinkId);
        if (facts.AgeYears is { } age)
        {
            known[DtrCanonicals.MemberAgeLinkId] = [new Integer(age)];
        }
        else if (hasAgeItem)
        {
            notPrefilled.Add("the member's age: the request holds no Patient with a birth date (send it as 'referenced')");
        }

        if (facts.PreviouslyTreatedLevels.Count > 0
            && LinkIdOf(questionnaire, PriorBvna) is { } priorLinkId
            && LinkIdOf(questionnaire, PreviouslyTreatedLevels) is { } levelsLinkId)
        {
            // P7.16: our earlier decision approved BVNA on these levels.
            known[priorLinkId] = [new FhirBoolean(true)];
            known[levelsLinkId] = facts.PreviouslyTreatedLevels.Select(l => (DataType)new Coding(policy.Document.LevelSystem, l)).ToList();
        }

        AddRecordedAnswers(questionnaire, facts.Record, known);

        var clinical = QuestionnaireItems.Flatten(questionnaire.Item)
            .Count(i => i.Type != Questionnaire.QuestionnaireItemType.Group && i.LinkId != DtrCanonicals.MemberAgeLinkId && !known.ContainsKey(i.LinkId ?? string.Empty));
        if (clinical > 0)
        {
            notPrefilled.Add($"{clinical} clinical question(s): the payer holds no answers to them; the ordering clinician answers them");
        }

        if (facts.Orders.All(o => o.Reference is null))
        {
            notPrefilled.Add("the order: the request names none with an id, so the draft's context names the Coverage only");
        }

        // DTR's response profile needs the Coverage and at least one order as context; without an
        // order in the request, the second context can only describe that none was named.
        IReadOnlyList<ResourceReference> orders = facts.Orders.Count > 0
            ? facts.Orders
            : [new ResourceReference { Display = "No order was named in the $questionnaire-package request" }];
        var items = Items(questionnaire.Item, known);
        if (items.Count == 0)
        {
            // DTR's response profile needs an item: offer the first question, unanswered.
            items = Items(questionnaire.Item, FirstQuestion(questionnaire));
        }

        var response = new QuestionnaireResponse
        {
            Id = Guid.NewGuid().ToString("N"),
            Meta = new Meta { Profile = [DtrCanonicals.Profiles.QuestionnaireResponse] },
            Extension =
            [
                new Extension(DtrCanonicals.Extensions.QrContext, (ResourceReference)facts.Coverage.DeepCopy()),
                .. orders.Select(o => new Extension(DtrCanonicals.Extensions.QrContext, (ResourceReference)o.DeepCopy())),
                new Extension(DtrCanonicals.Extensions.IntendedUse, new CodeableConcept(DtrCanonicals.CrdTemp, "withpa", "Include with PA")),
            ],
            Questionnaire = $"{questionnaire.Url}|{questionnaire.Version}",
            Status = QuestionnaireResponse.QuestionnaireResponseStatus.InProgress,
            Subject = (ResourceReference)facts.Subject.DeepCopy(),
            AuthoredElement = new FhirDateTime(time.GetUtcNow()),
            Item = items,
        };
        return new DraftResponse(response, notPrefilled);
    }

    /// <summary>
    /// The draft for the adaptive form of <paramref name="standard"/>: the same answers, in an
    /// adaptive response whose contained form holds the questions pre-filled so far, ready to
    /// be sent to $next-question.
    /// </summary>
    public DraftResponse BuildAdaptive(Questionnaire standard, DraftFacts facts)
    {
        var draft = Build(standard, facts);
        var response = draft.Response;
        var asked = ResponseQuestionnaire.Flatten(response.Item).Where(i => i.Item.Count == 0).Select(i => i.LinkId!).ToHashSet(StringComparer.Ordinal);
        var form = AdaptiveForm.Contained(standard, asked, $"adaptive-{standard.Id}");
        response.Meta = new Meta { Profile = [DtrCanonicals.Profiles.QuestionnaireResponse, DtrCanonicals.Profiles.AdaptiveResponse] };
        response.Contained = [form];
        response.Questionnaire = $"#{form.Id}";
        return draft;
    }

    private static Dictionary<string, List<DataType>> FirstQuestion(Questionnaire questionnaire)
    {
        var first = QuestionnaireItems.Flatten(questionnaire.Item)
            .First(i => i.Type != Questionnaire.QuestionnaireItemType.Group && i.EnableWhen.Count == 0);
        return new Dictionary<string, List<DataType>>(StringComparer.Ordinal) { [first.LinkId!] = [] };
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

    /// <summary>
    /// What the client's own record answers (P7.11 BMI, P7.2 lumbar surgery, P7.14 pregnancy). Only
    /// findings are pre-filled: a record that holds no surgery or pregnancy was not necessarily sent
    /// whole, so "no" stays the clinician's answer.
    /// </summary>
    private void AddRecordedAnswers(Questionnaire questionnaire, ReferencedRecord record, Dictionary<string, List<DataType>> known)
    {
        if (record.BodyMassIndex is { } bmi && LinkIdOf(questionnaire, BodyMassIndex) is { } bmiLinkId)
        {
            known[bmiLinkId] = [new FhirDecimal(bmi)];
        }

        if (record.PriorLumbarSurgery && LinkIdOf(questionnaire, PriorLumbarSurgery) is { } surgeryLinkId)
        {
            known[surgeryLinkId] = [new FhirBoolean(true)];
        }

        // The pregnancy question is asked only when pregnancy is possible: a pregnant member is of
        // child-bearing potential, so both are answered or the pregnancy answer would be hidden.
        if (record.Pregnant && LinkIdOf(questionnaire, PregnancyPossible) is { } possibleLinkId && LinkIdOf(questionnaire, Pregnancy) is { } pregnancyLinkId)
        {
            known[possibleLinkId] = [new FhirBoolean(true)];
            known[pregnancyLinkId] = [new FhirBoolean(true)];
        }
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
