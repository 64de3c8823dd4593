using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SpinePolicy.Fhir;
using OperationOutcome = Hl7.Fhir.Model.OperationOutcome;

namespace SpinePolicy.Reliability.Tests.Fuzzing;

/// <summary>
/// Sends hostile inputs through the real pipeline and judges each answer: never a 5xx, never a stack
/// trace, every 4xx carrying a message (an OperationOutcome with an issue under /fhir).
/// </summary>
public static class FuzzRunner
{
    /// <summary>Inputs per endpoint family: SPINEPOLICY_FUZZ_INPUTS, default 1,000 to keep CI fast.</summary>
    public static int InputsPerFamily =>
        int.TryParse(Environment.GetEnvironmentVariable("SPINEPOLICY_FUZZ_INPUTS"), out var n) && n > 0 ? n : 1000;

    /// <summary>Fixed so that a failure reproduces; SPINEPOLICY_FUZZ_SEED explores other inputs.</summary>
    public static int Seed =>
        int.TryParse(Environment.GetEnvironmentVariable("SPINEPOLICY_FUZZ_SEED"), out var n) ? n : 97;

    public static async Task PostAllAsync(HttpClient client, string path, IEnumerable<HostileInput> inputs, FuzzReport report, Func<HttpRequestMessage, HttpRequestMessage>? prepare = null)
    {
        foreach (var input in inputs)
        {
            using var content = new ByteArrayContent(input.Body);
            if (input.ContentType is not null)
            {
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(input.ContentType);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
            await SendAsync(client, prepare?.Invoke(request) ?? request, input, report);
        }
    }

    public static async Task GetAllAsync(HttpClient client, IEnumerable<HostileInput> inputs, FuzzReport report)
    {
        foreach (var input in inputs)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Encoding.UTF8.GetString(input.Body));
            await SendAsync(client, request, input, report);
        }
    }

    private static async Task SendAsync(HttpClient client, HttpRequestMessage request, HostileInput input, FuzzReport report)
    {
        using var response = await client.SendAsync(request);

        // The path the server saw, after the client resolved dot segments ("/fhir/../x" is "/x").
        var path = response.RequestMessage?.RequestUri?.AbsolutePath ?? string.Empty;
        var status = (int)response.StatusCode;
        report.Record(status);
        var body = await response.Content.ReadAsStringAsync();
        var problem = Judge(path, status, response.Content.Headers.ContentType?.MediaType, body);
        if (problem is not null)
        {
            report.Fail($"{input.Describe()} → {status}: {problem}; body: {Excerpt(body)}", silentRejection: status is >= 400 and < 500 && !problem.StartsWith("stack trace", StringComparison.Ordinal));
            SaveForReproduction(report.Family, input);
        }
    }

    /// <summary>Null when the answer is acceptable; otherwise what is wrong with it.</summary>
    public static string? Judge(string path, int status, string? mediaType, string body)
    {
        if (status >= 500)
        {
            return "server error";
        }

        if (body.Contains("\n   at ", StringComparison.Ordinal) || body.Contains("Exception:", StringComparison.Ordinal))
        {
            return "stack trace or exception text in the response";
        }

        if (status < 400)
        {
            return null;
        }

        if (status == 401)
        {
            // Every fuzz request carries a valid token: a 401 means the input never reached a parser.
            return "401: the test's valid token was refused";
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            return status == 401 ? "401 (the test's token was refused)" : "rejection without a message";
        }

        if (path.StartsWith("/fhir", StringComparison.Ordinal) && mediaType?.Contains("xml", StringComparison.OrdinalIgnoreCase) == true)
        {
            // The client asked for XML (_format/Accept): the OperationOutcome comes as XML.
            var root = System.Xml.Linq.XDocument.Parse(body).Root;
            var issues = root?.Elements().Where(e => e.Name.LocalName == "issue").ToList() ?? [];
            if (root?.Name.LocalName != "OperationOutcome" || issues.Count == 0)
            {
                return "XML rejection is not an OperationOutcome with an issue";
            }
        }
        else if (path.StartsWith("/fhir", StringComparison.Ordinal))
        {
            try
            {
                var outcome = FhirJson.Parse<OperationOutcome>(body);
                if (outcome.Issue.Count == 0 || outcome.Issue.All(i => string.IsNullOrWhiteSpace(i.Diagnostics) && string.IsNullOrWhiteSpace(i.Details?.Text) && i.Details?.Coding.Count is null or 0))
                {
                    return "OperationOutcome without a message";
                }
            }
            catch (SpinePolicy.Fhir.Http.FhirHttpException)
            {
                return $"rejection is not an OperationOutcome ({mediaType})";
            }
        }
        else if (mediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return "error body is not a JSON object";
                }
            }
            catch (JsonException)
            {
                return "error body is not valid JSON";
            }
        }

        return null;
    }

    private static string Excerpt(string body) => body.Length <= 300 ? body : body[..300] + "…";

    private static void SaveForReproduction(string family, HostileInput input)
    {
        var directory = Path.Combine(Path.GetTempPath(), "spinepolicy-tests", "fuzz-failures", family);
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, $"{Guid.NewGuid():N}.bin"), input.Body.Length > 4 << 20 ? input.Body[..(4 << 20)] : input.Body);
    }
}
