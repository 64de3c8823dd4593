using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace SpinePolicy.Fhir.Security;

/// <summary>
/// Resolves the <see cref="FhirCaller"/> of a request from its validated access token and the
/// configured client bindings: the only place an identity becomes a role and an organization.
/// Only validated claims count (an unverified token could name anyone).
/// </summary>
public sealed class FhirCallers
{
    private readonly Dictionary<(string Issuer, string ClientId), FhirCaller> _bound = [];
    private readonly Dictionary<(string Issuer, string ClientId), string> _organizationClaims = [];
    private readonly bool _enabled;

    public FhirCallers(FhirAuthorizationSwitch authorization, IEnumerable<FhirClientBinding> bindings)
    {
        _enabled = authorization.Enabled;
        foreach (var binding in bindings)
        {
            if (binding.Role == ClientRole.Provider && !string.IsNullOrWhiteSpace(binding.OrganizationClaim))
            {
                _organizationClaims[(binding.Issuer, binding.ClientId)] = binding.OrganizationClaim;
                continue;
            }

            var organization = binding.Role == ClientRole.Provider && binding.Organization is { } key
                ? new OrganizationIdentity(Normalize(key), binding.Identifiers)
                : null;
            var partnerIdentifiers = binding.Role == ClientRole.PayerPartner
                ? binding.Identifiers.Select(OrganizationIdentity.Parse).Distinct().ToList()
                : [];
            _bound[(binding.Issuer, binding.ClientId)] = new FhirCaller(binding.Issuer, binding.ClientId, binding.Role, organization)
            {
                PartnerIdentifiers = partnerIdentifiers,
            };
        }
    }

    /// <summary>The caller of this request (computed once per request).</summary>
    public FhirCaller Of(HttpContext context)
    {
        if (!_enabled)
        {
            return FhirCaller.Development;
        }

        if (context.Items.TryGetValue(typeof(FhirCaller), out var cached) && cached is FhirCaller caller)
        {
            return caller;
        }

        caller = Resolve(context);
        context.Items[typeof(FhirCaller)] = caller;
        return caller;
    }

    /// <summary>For code that holds only the request.</summary>
    public static FhirCaller Current(HttpContext context) => context.RequestServices.GetRequiredService<FhirCallers>().Of(context);

    private FhirCaller Resolve(HttpContext context)
    {
        var user = context.User;
        var clientId = FhirClientIdentity.ClientId(user);
        var issuer = user.FindFirst("iss")?.Value;
        if (clientId is null || issuer is null)
        {
            return new FhirCaller(issuer, clientId, null, null);
        }

        if (_bound.TryGetValue((issuer, clientId), out var bound))
        {
            return bound;
        }

        if (_organizationClaims.TryGetValue((issuer, clientId), out var claim))
        {
            return SignedInUser(issuer, clientId, user.FindAll(claim).Select(c => c.Value).ToList());
        }

        // "*" binds every client of an issuer that only serves other payers (payer-to-payer only).
        return _bound.TryGetValue((issuer, FhirClientBinding.AnyClient), out var any)
            ? any with { ClientId = clientId }
            : new FhirCaller(issuer, clientId, null, null);
    }

    /// <summary>
    /// The organization the token names for its signed-in user: the claim's first value is the
    /// organization's own identifier, any further values are the providers it answers for. A token
    /// without a usable claim acts for nobody (bound to no organization, so it may not submit).
    /// </summary>
    private static FhirCaller SignedInUser(string issuer, string clientId, List<string> values)
    {
        if (values.Count == 0 || !values.All(IsIdentifier))
        {
            return new FhirCaller(issuer, clientId, null, null);
        }

        var organization = new OrganizationIdentity(Normalize(values[0]), values.Skip(1).Select(Normalize));
        return new FhirCaller(issuer, clientId, ClientRole.Provider, organization) { ActsForSignedInUser = true };
    }

    private static bool IsIdentifier(string token) => OrganizationIdentity.TryParse(token, out _);

    private static string Normalize(string token)
    {
        var (system, value) = OrganizationIdentity.Parse(token);
        return $"{system}|{value}";
    }
}
