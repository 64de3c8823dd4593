using System.Net;
using System.Text.Json;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir.CoverageInformation;
using SpinePolicy.PriorAuthorization.Response;

namespace SpinePolicy.Facts.Tests.Support;

/// <summary>What each slice answered, read the way its client reads it.</summary>
public static class Answers
{
    /// <summary>CRD: the coverage-information sub-extensions of the updated order (code → value).</summary>
    public static IReadOnlyList<Dictionary<string, string>> CoverageInformation(JsonElement hookResponse)
    {
        var found = new List<Dictionary<string, string>>();
        foreach (var action in hookResponse.GetProperty("systemActions").EnumerateArray())
        {
            var resource = (DomainResource)SpinePolicy.Fhir.FhirJson.ParseElement(action.GetProperty("resource"));
            found.AddRange(resource.Extension.Where(e => e.Url == CoverageInformationExtension.Url).Select(Flatten));
        }

        return found;
    }

    public static IReadOnlyList<string> CardSummaries(JsonElement hookResponse) =>
        hookResponse.GetProperty("cards").EnumerateArray().Select(c => c.GetProperty("summary").GetString()!).ToList();

    public static IReadOnlyList<string> CardDetails(JsonElement hookResponse) =>
        hookResponse.GetProperty("cards").EnumerateArray().Select(c => c.TryGetProperty("detail", out var d) ? d.GetString()! : string.Empty).ToList();

    /// <summary>DTR: the completed response's coverage-information (covered, pa-needed, reasons joined).</summary>
    public static Dictionary<string, string> CoverageInformation(Resource? nextQuestionOutput)
    {
        var response = nextQuestionOutput switch
        {
            QuestionnaireResponse qr => qr,
            Parameters p => p.Parameter.Select(x => x.Resource).OfType<QuestionnaireResponse>().Single(),
            _ => throw new InvalidOperationException($"$next-question answered {nextQuestionOutput?.TypeName ?? "nothing"}."),
        };
        Assert.Equal(QuestionnaireResponse.QuestionnaireResponseStatus.Completed, response.Status);
        return Flatten(response.Extension.Single(e => e.Url == CoverageInformationExtension.Url));
    }

    /// <summary>PAS: the X12 action code of each item, in order (A1, A3, A4, NA, C).</summary>
    public static IReadOnlyList<string> Actions(Resource? submitOutput) =>
        ClaimResponse(submitOutput).Item.Select(i => ClaimResponseItems.ActionOf(i)?.X12().Code ?? "none").ToList();

    public static ClaimResponse ClaimResponse(Resource? submitOutput) =>
        Assert.IsType<Bundle>(submitOutput).Entry.Select(e => e.Resource).OfType<ClaimResponse>().First();

    public static string Notes(Resource? submitOutput) =>
        string.Join(Environment.NewLine, ClaimResponse(submitOutput).ProcessNote.Select(n => n.Text));

    public static void IsClientError(HttpStatusCode status, string slice) =>
        Assert.True((int)status is >= 400 and < 500, $"{slice} answered {(int)status}, not a 4xx");

    private static Dictionary<string, string> Flatten(Extension information)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in information.Extension)
        {
            var text = part.Value switch
            {
                Code code => code.Value,
                Coding coding => coding.Code,
                CodeableConcept concept => concept.Text,
                FhirString s => s.Value,
                Canonical c => c.Value,
                _ => part.Value?.ToString(),
            };
            var url = part.Url ?? string.Empty;
            values[url] = values.TryGetValue(url, out var existing) ? $"{existing} | {text}" : text ?? string.Empty;
        }

        return values;
    }
}
