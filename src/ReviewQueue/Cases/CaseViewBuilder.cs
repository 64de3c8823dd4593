using System.Globalization;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PriorAuthorization.Records;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Review;
using SpinePolicy.Storage.Indexing;

namespace SpinePolicy.ReviewQueue.Cases;

/// <summary>Reads one stored request into what the case page shows.</summary>
internal sealed class CaseViewBuilder(PasRecordStore records, PendedRequestQueue queue, Policy policy, IQuestionnaireCatalog catalog)
{
    /// <summary>How many of the member's other requests the page lists.</summary>
    public const int EarlierRequestLimit = 20;

    public async Task<CaseView?> BuildAsync(string recordId, CancellationToken cancellationToken)
    {
        if (await records.ReadAsync(recordId, cancellationToken) is not { } record)
        {
            return null;
        }

        var request = StoredRequest.Of(record);
        var response = record.Response;
        var items = response.Item.Select(item => Item(response, request, item)).ToList();
        var answers = request.QuestionnaireResponses.Select(Answers).ToList();
        var earlier = new List<EarlierRequest>();
        var patientId = SearchColumnExtractor.PatientIdFrom(response.Patient);
        if (patientId is not null)
        {
            foreach (var other in await records.ListForPatientAsync(patientId, EarlierRequestLimit + 1, cancellationToken))
            {
                if (other.Id != record.Id && earlier.Count < EarlierRequestLimit)
                {
                    earlier.Add(Earlier(other));
                }
            }
        }

        return new CaseView(queue.Describe(record), patientId, record.ResponseVersion, response.Disposition ?? string.Empty, items, answers, earlier);
    }

    private CaseItem Item(ClaimResponse response, StoredRequest request, ClaimResponse.ItemComponent item)
    {
        var sequence = item.ItemSequence ?? 0;
        var code = request.CodeOf(sequence) ?? "?";
        var action = ClaimResponseItems.ActionOf(item);
        var (actionCode, actionDisplay) = action?.X12() ?? ("?", "Unknown");
        var review = item.Adjudication.SelectMany(a => a.Extension.Where(e => e.Url == PasCodes.ReviewActionUrl)).FirstOrDefault();
        var number = (review?.Extension.FirstOrDefault(e => e.Url == "number")?.Value as FhirString)?.Value;
        var reasons = review?.Extension
            .Where(e => e.Url == "reasonCode")
            .Select(e => (e.Value as CodeableConcept)?.Coding.FirstOrDefault())
            .OfType<Coding>()
            .Select(c => (c.Code ?? "?", c.Display ?? string.Empty))
            .ToList() ?? [];
        var notes = item.NoteNumber
            .Select(n => response.ProcessNote.FirstOrDefault(p => p.Number == n)?.Text)
            .OfType<string>()
            .ToList();
        var clauses = PendedRequestQueue.ClausesOf(response, [item])
            .Select(clause => new ClauseText(clause, policy.Criteria.Where(c => c.Clause == clause).Select(c => c.Display).ToList()))
            .ToList();
        return new CaseItem(sequence, code, policy.FindCodeGroup(code)?.Display, actionCode, actionDisplay, action == ReviewAction.Pended, number, notes, reasons, clauses);
    }

    private AnsweredQuestionnaire Answers(QuestionnaireResponse response)
    {
        var questionnaire = response.Questionnaire is { Length: > 0 } canonical ? catalog.Find(canonical) : null;
        var questions = questionnaire is null
            ? new Dictionary<string, string>()
            : Flatten(questionnaire.Item).Where(q => q.LinkId is not null && q.Text is not null).GroupBy(q => q.LinkId!).ToDictionary(g => g.Key, g => g.First().Text!);
        var rows = new List<(string, string)>();
        foreach (var item in Flatten(response.Item))
        {
            if (item.Answer.Count == 0)
            {
                continue;
            }

            var question = item.Text ?? (item.LinkId is { } linkId ? questions.GetValueOrDefault(linkId) : null) ?? item.LinkId ?? "(unnamed question)";
            rows.Add((question, string.Join("; ", item.Answer.Select(a => Format(a.Value)))));
        }

        return new AnsweredQuestionnaire(questionnaire?.Title ?? response.Questionnaire ?? "Questionnaire", response.Status?.ToString().ToLowerInvariant(), rows);
    }

    private static EarlierRequest Earlier(PasRecord record)
    {
        var request = StoredRequest.Of(record);
        var codes = request.Claim.Item.Select(i => i.ProductOrService?.Coding.FirstOrDefault()?.Code).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var received = record.Response.CreatedElement?.ToDateTimeOffset(TimeSpan.Zero);
        var isPended = record.Response.Item.Any(i => ClaimResponseItems.ActionOf(i) == ReviewAction.Pended);
        var outcome = record.Response.Status == FinancialResourceStatusCodes.Cancelled
            ? "Replaced or cancelled"
            : string.Join(", ", record.Response.Item.Select(i => $"item {i.ItemSequence?.ToString(CultureInfo.InvariantCulture)}: {ClaimResponseItems.ActionOf(i)?.X12().Code ?? "?"}"));
        return new EarlierRequest(record.Id, request.ClaimIdentifier, received, codes, outcome, isPended);
    }

    private static IEnumerable<Questionnaire.ItemComponent> Flatten(IEnumerable<Questionnaire.ItemComponent> items) =>
        items.SelectMany(i => new[] { i }.Concat(Flatten(i.Item)));

    private static IEnumerable<QuestionnaireResponse.ItemComponent> Flatten(IEnumerable<QuestionnaireResponse.ItemComponent> items) =>
        items.SelectMany(i => new[] { i }.Concat(Flatten(i.Item).Concat(i.Answer.SelectMany(a => Flatten(a.Item)))));

    private static string Format(DataType? value) => value switch
    {
        FhirBoolean { Value: true } => "Yes",
        FhirBoolean { Value: false } => "No",
        Coding coding => coding.Display ?? coding.Code ?? "(no code)",
        Quantity quantity => $"{quantity.Value?.ToString(CultureInfo.InvariantCulture)} {quantity.Unit ?? quantity.Code}".Trim(),
        PrimitiveType primitive => primitive.ToString() ?? string.Empty,
        null => "(no answer)",
        _ => value.TypeName,
    };
}
