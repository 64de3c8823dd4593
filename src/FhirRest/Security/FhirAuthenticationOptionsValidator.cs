using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace SpinePolicy.FhirRest.Security;

/// <summary>A trusted issuer without keys or an audience-less configuration stops the host at start-up.</summary>
public sealed class FhirAuthenticationOptionsValidator : IValidateOptions<FhirAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, FhirAuthenticationOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var problems = new List<string>();
        if (options.Issuers.Count == 0)
        {
            problems.Add("FhirAuthentication:Issuers needs at least one trusted issuer (or set FhirAuthentication:Enabled=false deliberately).");
        }

        for (var i = 0; i < options.Issuers.Count; i++)
        {
            var issuer = options.Issuers[i];
            var prefix = $"FhirAuthentication:Issuers:{i}";
            if (string.IsNullOrWhiteSpace(issuer.Issuer))
            {
                problems.Add($"{prefix}:Issuer is required.");
            }

            var hasUrl = !string.IsNullOrWhiteSpace(issuer.JwksUrl);
            var hasInline = !string.IsNullOrWhiteSpace(issuer.Jwks);
            if (hasUrl == hasInline)
            {
                problems.Add($"{prefix} needs exactly one of JwksUrl or Jwks.");
            }

            if (hasUrl && !IsAcceptableUrl(issuer.JwksUrl!, options.RequireHttpsJwks))
            {
                problems.Add($"{prefix}:JwksUrl must be an absolute {(options.RequireHttpsJwks ? "https" : "http(s)")} URL.");
            }

            if (hasInline && !IsJwks(issuer.Jwks!))
            {
                problems.Add($"{prefix}:Jwks is not a JWKS with at least one key.");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static bool IsAcceptableUrl(string url, bool requireHttps) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (!requireHttps && uri.Scheme == Uri.UriSchemeHttp));

    private static bool IsJwks(string json)
    {
        try
        {
            return new JsonWebKeySet(json).Keys.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
