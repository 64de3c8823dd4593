using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using SpinePolicy.CdsHooks.Security;

namespace SpinePolicy.CdsHooks.Options;

/// <summary>Stops start-up when a trusted client is misconfigured, rather than refusing its first call.</summary>
internal sealed class CdsHooksAuthenticationOptionsValidator : IValidateOptions<CdsHooksAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, CdsHooksAuthenticationOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (options.TrustedClients.Count == 0)
        {
            failures.Add("CdsHooks:Authentication:TrustedClients is empty: no EHR could call the service. Add a client or set CdsHooks:Authentication:Enabled=false explicitly.");
        }

        if (options.MaxTokenLifetime <= TimeSpan.Zero)
        {
            failures.Add("CdsHooks:Authentication:MaxTokenLifetime must be positive.");
        }

        if (options.ClockSkew < TimeSpan.Zero)
        {
            failures.Add("CdsHooks:Authentication:ClockSkew must not be negative.");
        }

        for (var i = 0; i < options.TrustedClients.Count; i++)
        {
            var client = options.TrustedClients[i];
            var prefix = $"CdsHooks:Authentication:TrustedClients:{i}";
            if (string.IsNullOrWhiteSpace(client.Issuer))
            {
                failures.Add($"{prefix}:Issuer is required.");
            }

            var hasUrl = !string.IsNullOrWhiteSpace(client.JwksUrl);
            var hasJwks = !string.IsNullOrWhiteSpace(client.Jwks);
            if (hasUrl == hasJwks)
            {
                failures.Add($"{prefix}: set exactly one of JwksUrl or Jwks.");
            }

            if (hasUrl && (!Uri.TryCreate(client.JwksUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
            {
                failures.Add($"{prefix}:JwksUrl is not an absolute http(s) URL.");
            }

            for (var j = 0; j < client.FhirServers.Count; j++)
            {
                if (FhirServerAllowList.Parse(client.FhirServers[j]) is null)
                {
                    failures.Add($"{prefix}:FhirServers:{j} is not an absolute http(s) FHIR base URL without user info, query or fragment.");
                }
            }

            if (hasJwks)
            {
                try
                {
                    if (new JsonWebKeySet(client.Jwks).Keys.Count == 0)
                    {
                        failures.Add($"{prefix}:Jwks holds no keys.");
                    }
                }
                catch (ArgumentException)
                {
                    failures.Add($"{prefix}:Jwks is not a JWKS document.");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
