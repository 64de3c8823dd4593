using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using SpinePolicy.Fhir.Security;

namespace SpinePolicy.FhirRest.Security;

/// <summary>A trusted issuer without keys or an audience-less configuration stops the host at start-up.</summary>
internal sealed class FhirAuthenticationOptionsValidator : IValidateOptions<FhirAuthenticationOptions>
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
            // The binder numbers list entries in order, whatever indexes the operator wrote, so the
            // entry is also named by what identifies it.
            var prefix = $"FhirAuthentication:Issuers[entry {i}, '{issuer.Issuer}']";
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

        if (options.MaxTokenLifetime <= TimeSpan.Zero)
        {
            problems.Add("FhirAuthentication:MaxTokenLifetime must be positive.");
        }

        problems.AddRange(ClientBindingProblems(options));
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>Each binding names a trusted issuer, a client, a role, and (providers) an organization; no client bound twice.</summary>
    private static IEnumerable<string> ClientBindingProblems(FhirAuthenticationOptions options)
    {
        var issuers = options.Issuers.Select(i => i.Issuer).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < options.Clients.Count; i++)
        {
            var client = options.Clients[i];
            // The binder numbers list entries in order, whatever indexes the operator wrote, so the
            // entry is also named by what identifies it.
            var prefix = $"FhirAuthentication:Clients[entry {i}, client '{client.ClientId}' of '{client.Issuer}']";
            if (!issuers.Contains(client.Issuer))
            {
                yield return $"{prefix}:Issuer '{client.Issuer}' is not one of FhirAuthentication:Issuers.";
            }

            if (string.IsNullOrWhiteSpace(client.ClientId))
            {
                yield return $"{prefix}:ClientId is required.";
            }
            else if (!seen.Add((client.Issuer, client.ClientId)))
            {
                yield return $"{prefix} binds client '{client.ClientId}' of '{client.Issuer}' a second time.";
            }

            if (client.Role is null)
            {
                yield return $"{prefix}:Role is required: Provider, PayerPartner, Reviewer or PayerAdministration.";
            }

            if (client.ClientId == FhirClientBinding.AnyClient && client.Role != ClientRole.PayerPartner)
            {
                yield return $"{prefix}: ClientId '*' (every client of the issuer) is allowed for the PayerPartner role only.";
            }

            var fromClaim = !string.IsNullOrWhiteSpace(client.OrganizationClaim);
            if (client.Role == ClientRole.Provider && string.IsNullOrWhiteSpace(client.Organization) == !fromClaim)
            {
                yield return $"{prefix}: a Provider needs exactly one of Organization (system|value, e.g. the NPI) or OrganizationClaim (the token claim naming the signed-in user's organization).";
            }

            if (fromClaim && (client.Role != ClientRole.Provider || client.Identifiers.Count > 0))
            {
                yield return $"{prefix}:OrganizationClaim is for a Provider only, and the token then names the further identifiers too (Identifiers must be empty).";
            }

            // Identifiers mean something for a provider (whom it answers for) and a payer partner
            // (whom a member's consent may name as recipient); elsewhere they would be silently ignored.
            if (client.Identifiers.Count > 0 && client.Role is ClientRole.Reviewer or ClientRole.PayerAdministration)
            {
                yield return $"{prefix}:Identifiers is for a Provider (the further providers it answers for) or a PayerPartner (the identifiers that payer is known by) only.";
            }

            foreach (var identifier in new[] { client.Organization }.Concat(client.Identifiers).OfType<string>())
            {
                if (!OrganizationIdentity.TryParse(identifier, out _))
                {
                    yield return $"{prefix}: '{identifier}' is not an identifier written system|value.";
                }
            }
        }
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
