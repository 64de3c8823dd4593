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
    private readonly bool _enabled;

    public FhirCallers(FhirAuthorizationSwitch authorization, IEnumerable<FhirClientBinding> bindings)
    {
        _enabled = authorization.Enabled;
        foreach (var binding in bindings)
        {
            var organization = binding.Role == ClientRole.Provider && binding.Organization is { } key
                ? new OrganizationIdentity(Normalize(key), binding.Identifiers)
                : null;
            _bound[(binding.Issuer, binding.ClientId)] = new FhirCaller(binding.Issuer, binding.ClientId, binding.Role, organization);
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

        // "*" binds every client of an issuer that only serves other payers (payer-to-payer only).
        return _bound.TryGetValue((issuer, FhirClientBinding.AnyClient), out var any)
            ? any with { ClientId = clientId }
            : new FhirCaller(issuer, clientId, null, null);
    }

    private static string Normalize(string token)
    {
        var (system, value) = OrganizationIdentity.Parse(token);
        return $"{system}|{value}";
    }
}
