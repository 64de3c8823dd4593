using Microsoft.AspNetCore.Http;

namespace SpinePolicy.Fhir.Http;

/// <summary>What a client asked the answer to a create or update to carry (FHIR's <c>Prefer: return=…</c>).</summary>
public enum FhirReturnPreference
{
    /// <summary>The resource as stored (also the default).</summary>
    Representation,

    /// <summary>Status and headers only.</summary>
    Minimal,

    /// <summary>An OperationOutcome saying what was done.</summary>
    OperationOutcome,
}

/// <summary>
/// Reads the RFC 7240 <c>Prefer</c> header for the two preferences FHIR defines: <c>return</c>
/// (on writes) and <c>handling</c> (on searches: strict refuses unknown parameters, lenient ignores
/// them). A preference we do not know is ignored, as RFC 7240 says.
/// </summary>
public static class FhirPrefer
{
    public static FhirReturnPreference Return(HttpRequest request) => Value(request, "return") switch
    {
        "minimal" => FhirReturnPreference.Minimal,
        "OperationOutcome" => FhirReturnPreference.OperationOutcome,
        _ => FhirReturnPreference.Representation,
    };

    /// <summary>True when the client asked <c>handling=lenient</c>; strict is this server's default.</summary>
    public static bool Lenient(HttpRequest request) => Value(request, "handling") == "lenient";

    private static string? Value(HttpRequest request, string name)
    {
        foreach (var header in request.Headers["Prefer"])
        {
            foreach (var preference in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var token = preference.Split(';', 2)[0];
                var equals = token.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0 && token[..equals].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return token[(equals + 1)..].Trim().Trim('"');
                }
            }
        }

        return null;
    }
}
