namespace SpinePolicy.Server.Hosting;

/// <summary>
/// Configuration section "FhirCors": the browser origins (DTR SMART apps hosted elsewhere, such as
/// an EHR's own form filler) that may call the DTR endpoints and Claim/$submit from JavaScript.
/// Empty (the default): no other origin may. "*" allows any origin; it is meant for a developer's
/// machine only, since the endpoints still require an access token.
/// </summary>
internal sealed class FhirCorsOptions
{
    public const string SectionName = "FhirCors";

    public const string AnyOrigin = "*";

    /// <summary>Origins as browsers send them: scheme, host and optional port, no path ("https://app.example.org").</summary>
    public IReadOnlyList<string> AllowedOrigins { get; set; } = [];

    /// <summary>Null when every entry is a well-formed origin, else the first bad one, named.</summary>
    public string? Problem()
    {
        foreach (var origin in AllowedOrigins)
        {
            if (origin == AnyOrigin)
            {
                continue;
            }

            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                || uri.Scheme is not ("https" or "http")
                || uri.PathAndQuery != "/"
                || origin.EndsWith('/')
                || !string.IsNullOrEmpty(uri.UserInfo))
            {
                return $"FhirCors:AllowedOrigins: '{origin}' is not an origin (scheme://host[:port], no path or trailing slash).";
            }
        }

        return null;
    }
}
