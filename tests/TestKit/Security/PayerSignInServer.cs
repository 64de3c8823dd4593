using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
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

    private readonly ConcurrentDictionary<string, PendingCode> _codes = new();
    private readonly ConcurrentQueue<string> _grantedScopes = new();
    private WebApplication? _app;

    public PayerSignInServer(string clientId) => ClientId = clientId;

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
        _app.MapGet("/authorize", Authorize);
        _app.MapPost("/token", TokenAsync);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Origin = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        return this;
    }

    private IResult Authorize(HttpRequest request)
    {
        var query = request.Query;
        var redirect = query["redirect_uri"].ToString();
        if (query["response_type"] != "code" || query["client_id"] != ClientId || !Uri.TryCreate(redirect, UriKind.Absolute, out _)
            || query["code_challenge_method"] != "S256" || string.IsNullOrEmpty(query["code_challenge"])
            || (ExpectedAudience is not null && query["aud"].ToString().TrimEnd('/') != ExpectedAudience.TrimEnd('/')))
        {
            return Results.BadRequest("invalid authorization request");
        }

        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _codes[code] = new PendingCode(query["code_challenge"]!, redirect, query["scope"].ToString());
        return Results.Redirect($"{redirect}{(redirect.Contains('?', StringComparison.Ordinal) ? '&' : '?')}code={code}&state={Uri.EscapeDataString(query["state"].ToString())}");
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var pending)
            || form["redirect_uri"] != pending.RedirectUri || form["client_id"] != ClientId
            || Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != pending.Challenge)
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: StatusCodes.Status400BadRequest);
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

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private sealed record PendingCode(string Challenge, string RedirectUri, string Scope);
}
