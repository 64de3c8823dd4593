using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SpinePolicy.TestKit.Security;

/// <summary>
/// This payer's own authorization server (its provider portal) on a loopback port, as the payer-hosted
/// DTR app signs a provider's user in to it: an authorization endpoint that approves at once (the
/// user is signed in), and a token endpoint that checks PKCE (S256), the redirect URI and the client
/// id, and issues a signed JWT access token naming the user's organization in the claim
/// <see cref="OrganizationClaim"/>. A real HTTP server: it must compute what a fixed mock cannot.
/// </summary>
public sealed class PayerSignInServer : IAsyncDisposable
{
    public const string Issuer = "https://provider-portal.test.example";

    public const string OrganizationClaim = "organization";

    private readonly ConcurrentQueue<string> _grantedScopes = new();
    private WebApplication? _app;

    private readonly PkceAuthorizationCodes _codes;

    public PayerSignInServer(string clientId)
    {
        ClientId = clientId;
        _codes = new PkceAuthorizationCodes(clientId);
    }

    public string ClientId { get; }

    /// <summary>The signed-in user's organization and the providers it answers for ("system|value"); empty: the token names none.</summary>
    public List<string> UserOrganization { get; } = [];

    /// <summary>The FHIR base the app must name as its audience ("aud"), once the payer's server is up.</summary>
    public string? ExpectedAudience { get; set; }

    /// <summary>e.g. http://127.0.0.1:5123 (after <see cref="StartAsync"/>).</summary>
    public Uri Origin { get; private set; } = new("http://127.0.0.1");

    public string AuthorizationEndpoint => $"{Origin}authorize";

    public string TokenEndpoint => $"{Origin}token";

    /// <summary>The scope of every token issued, in order.</summary>
    public IReadOnlyCollection<string> GrantedScopes => _grantedScopes;

    /// <summary>Settings that make a SpinePolicy server trust this authorization server and name it to SMART clients.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ServerSettings(int issuerIndex, int clientIndex)
    {
        yield return new($"FhirAuthentication:Issuers:{issuerIndex}:Issuer", Issuer);
        yield return new($"FhirAuthentication:Issuers:{issuerIndex}:Jwks", TestSigningKeys.PublicJwks);
        yield return new($"FhirAuthentication:Clients:{clientIndex}:Issuer", Issuer);
        yield return new($"FhirAuthentication:Clients:{clientIndex}:ClientId", ClientId);
        yield return new($"FhirAuthentication:Clients:{clientIndex}:Role", "Provider");
        yield return new($"FhirAuthentication:Clients:{clientIndex}:OrganizationClaim", OrganizationClaim);
        yield return new("FhirAuthentication:AuthorizationServer:Issuer", Issuer);
        yield return new("FhirAuthentication:AuthorizationServer:AuthorizationEndpoint", AuthorizationEndpoint);
        yield return new("FhirAuthentication:AuthorizationServer:TokenEndpoint", TokenEndpoint);
    }

    public async Task<PayerSignInServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy.AllowAnyOrigin().AllowAnyHeader().AllowAnyMethod()));
        _app = builder.Build();
        _app.UseCors();
        _app.MapGet("/authorize", (HttpRequest request) => _codes.Authorize(request, ExpectedAudience));
        _app.MapPost("/token", TokenAsync);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Origin = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        return this;
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        if (await _codes.RedeemAsync(request) is not { } pending)
        {
            return PkceAuthorizationCodes.InvalidGrant();
        }

        _grantedScopes.Enqueue(pending.Scope);
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = AccessToken(pending.Scope),
            ["token_type"] = "Bearer",
            ["expires_in"] = 300,
            ["scope"] = pending.Scope,
        });
    }

    /// <summary>A token as the token endpoint issues it (for tests that need no browser).</summary>
    public string AccessToken(string scope)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["client_id"] = ClientId,
            ["scope"] = scope,
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        if (UserOrganization.Count > 0)
        {
            claims[OrganizationClaim] = UserOrganization.ToArray();
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = TestTokens.FhirAudience,
            IssuedAt = now,
            NotBefore = now.AddSeconds(-5),
            Expires = now.AddMinutes(5),
            Subject = new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("sub", "provider-portal-user")]),
            Claims = claims,
            SigningCredentials = new SigningCredentials(TestSigningKeys.Rsa, SecurityAlgorithms.RsaSha384),
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
