using System.Text;

namespace SpinePolicy.Reliability.Tests.Fuzzing;

/// <summary>
/// FHIR read and search URLs with hostile parts, deterministically from a seed: unknown types and
/// parameters, malformed ids, dates, numbers, tokens and modifiers, repeated and percent-encoded
/// junk, and very long values.
/// </summary>
public sealed class HostileQueries(int seed)
{
    private static readonly string[] Types =
    [
        "Claim", "ClaimResponse", "QuestionnaireResponse", "Questionnaire", "Library", "ValueSet", "Patient", "Coverage",
        "ExplanationOfBenefit", "Basic", "AuditEvent", "Subscription", "NoSuchType", "claim", "Claim%2500", "..", "%2e%2e", "Patient$", "_history",
    ];

    private static readonly string[] Parameters =
    [
        "_id", "patient", "status", "created", "_lastUpdated", "identifier", "_count", "_sort", "_format", "use", "_include",
        "_revinclude", "_elements", "_summary", "_total", "subject", "patient:Patient", "patient.name", "identifier:of-type",
        "created:missing", "_has:Claim:patient:_id", "bogus", "", "_count:exact", "_offset", "_page",
    ];

    private static readonly string[] Values =
    [
        "", "x", "-1", "0", "1", "1001", "99999999999999999999", "1e9", "abc", "eq2026-01-01", "ge2026-13-45", "lt2026-02-30T25:61:00Z",
        "2026", "2026-01", "sa", "ap2026-01-01", "2026-01-01T00:00:00+99:00", "sys|", "|", "|||", "a|b|c", "|value", "http://x|y",
        "Patient/", "Patient/../../x", "-_lastUpdated", "_lastUpdated,-_id", "xml", "json", "application/fhir+xml", "text/html",
        "true", "count", "data", "*", "Claim:patient", "Claim:*", "%00", "%ZZ", "%C3%28", "%FF%FE", "'; DROP TABLE resources; --",
        "\" OR 1=1 --", "<script>", "${jndi:x}", "active,cancelled,draft", "entered-in-error", "preauthorization",
    ];

    private readonly Random _random = new(seed);

    public IEnumerable<HostileInput> Generate(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var type = Types[_random.Next(Types.Length)];
            var url = (i % 5) switch
            {
                0 => $"/fhir/{type}/{HostileId()}",
                1 => $"/fhir/{type}/{HostileId()}/_history/{Uri.EscapeDataString(Values[_random.Next(Values.Length)])}",
                _ => $"/fhir/{type}?{Query()}",
            };
            yield return new HostileInput("query", Encoding.UTF8.GetBytes(url), null);
        }
    }

    private string HostileId() => _random.Next(6) switch
    {
        0 => new string('a', 65),
        1 => new string('9', 5_000),
        2 => "%2F..%2F..%2Fetc",
        3 => "id with spaces",
        4 => "ok-id-" + _random.Next(1000),
        _ => Uri.EscapeDataString(Values[_random.Next(Values.Length)]),
    };

    private string Query()
    {
        var parts = 1 + _random.Next(5);
        var builder = new StringBuilder();
        for (var p = 0; p < parts; p++)
        {
            if (p > 0)
            {
                builder.Append('&');
            }

            var name = Parameters[_random.Next(Parameters.Length)];
            var value = _random.Next(10) == 0 ? new string('v', 20_000) : Values[_random.Next(Values.Length)];

            // Some values raw (already hostile encodings), most escaped the way a client would.
            builder.Append(name).Append('=').Append(value.StartsWith('%') ? value : Uri.EscapeDataString(value));
        }

        return builder.ToString();
    }
}
