using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.PriorAuthorization.Response;

namespace SpinePolicy.PriorAuthorization.Tests.Support;

/// <summary>An HTTP answer with its body parsed as FHIR (when it is FHIR).</summary>
public sealed record FhirAnswer(HttpStatusCode Status, string? ContentType, string Body, Resource? Resource)
{
    public static async Task<FhirAnswer> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Resource? resource = null;
        try
        {
            resource = body.Length > 0 ? FhirJson.Parse<Resource>(body) : null;
        }
        catch (SpinePolicy.Fhir.Http.FhirHttpException)
        {
        }

        return new FhirAnswer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, resource);
    }

    public Bundle Bundle => Resource as Bundle ?? throw new InvalidOperationException($"Expected a Bundle, got {Status}: {Body}");

    public ClaimResponse ClaimResponse => Bundle.Entry[0].Resource as ClaimResponse ?? throw new InvalidOperationException("The first entry is not a ClaimResponse.");

    public OperationOutcome Outcome => Resource as OperationOutcome ?? throw new InvalidOperationException($"Expected an OperationOutcome, got {Status}: {Body}");

    /// <summary>The X12 action code on the item with this sequence.</summary>
    public string? ActionOf(int sequence) => ClaimResponse.Item.FirstOrDefault(i => i.ItemSequence == sequence) is { } item
        ? ClaimResponseItems.ActionOf(item)?.X12().Code
        : null;

    /// <summary>All processNote texts of the notes an item points to.</summary>
    public string NotesOf(int sequence)
    {
        var item = ClaimResponse.Item.First(i => i.ItemSequence == sequence);
        var numbers = item.NoteNumber.Select(n => n ?? 0).ToHashSet();
        return string.Join("\n", ClaimResponse.ProcessNote.Where(n => numbers.Contains(n.Number ?? -1)).Select(n => n.Text));
    }

    public IReadOnlyList<string> ReasonCodesOf(int sequence) =>
        ClaimResponse.Item.First(i => i.ItemSequence == sequence).Adjudication
            .SelectMany(a => a.Extension.Where(e => e.Url == PasCodes.ReviewActionUrl))
            .SelectMany(e => e.Extension.Where(x => x.Url == "reasonCode"))
            .Select(e => ((CodeableConcept)e.Value!).Coding[0].Code!)
            .ToList();
}
