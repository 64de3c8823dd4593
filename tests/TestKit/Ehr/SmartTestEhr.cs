using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SpinePolicy.Fhir;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.TestKit.Ehr;

/// <summary>
/// An EHR a SMART app can really launch from, on a loopback port: SMART configuration, an
/// authorization endpoint that approves at once (as if the clinician were signed in), a token
/// endpoint that checks PKCE (S256), the redirect URI and the client id and hands out the launch
/// context, and a FHIR server over the resources the test gives it (read, search by patient and
/// code, QuestionnaireResponse create — recorded). It answers CORS from any origin, as EHRs do for
/// browser apps. A real HTTP server rather than WireMock because it must compute (PKCE, one-time
/// codes, state echo) what a fixed mock cannot.
/// </summary>
public sealed class SmartTestEhr : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Resource> _resources = new();
    private readonly PkceAuthorizationCodes _codes;
    private readonly ConcurrentQueue<QuestionnaireResponse> _saved = new();
    private readonly ConcurrentQueue<string> _launches = new();
    private readonly string _accessToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private WebApplication? _app;

    public SmartTestEhr(string clientId, string patientId, IEnumerable<Resource> resources)
    {
        ClientId = clientId;
        _codes = new PkceAuthorizationCodes(clientId);
        PatientId = patientId;
        foreach (var resource in resources)
        {
            _resources[$"{resource.TypeName}/{resource.Id}"] = resource;
        }
    }

    public string ClientId { get; }

    public string PatientId { get; set; }

    /// <summary>The launch context entries (SMART 2.0 fhirContext) handed out with the token.</summary>
    public List<object> FhirContext { get; } = [];

    /// <summary>The signed-in user (the id token's fhirUser), e.g. "Practitioner/dr-1".</summary>
    public string? FhirUser { get; set; }

    /// <summary>e.g. http://127.0.0.1:5123 (after <see cref="StartAsync"/>).</summary>
    public Uri Origin { get; private set; } = new("http://127.0.0.1");

    public string FhirBase => $"{Origin.ToString().TrimEnd('/')}/fhir";

    /// <summary>QuestionnaireResponses the app saved here (POST /fhir/QuestionnaireResponse).</summary>
    public IReadOnlyCollection<QuestionnaireResponse> SavedResponses => _saved;

    /// <summary>The "launch" values of completed authorizations (EHR launches).</summary>
    public IReadOnlyCollection<string> Launches => _launches;

    public async Task<SmartTestEhr> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy.AllowAnyOrigin().AllowAnyHeader().AllowAnyMethod().WithExposedHeaders("Location")));
        _app = builder.Build();
        _app.UseCors();
        Map(_app);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Origin = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        return this;
    }

    /// <summary>Adds records (or replaces those with the same type and id) while the EHR runs.</summary>
    public void Put(IEnumerable<Resource> resources)
    {
        foreach (var resource in resources)
        {
            _resources[$"{resource.TypeName}/{resource.Id}"] = resource;
        }
    }

    /// <summary>The URL an EHR opens to launch the app with this launch id.</summary>
    public string LaunchUrl(Uri appLaunch, string launch) =>
        $"{appLaunch}?iss={Uri.EscapeDataString(FhirBase)}&launch={Uri.EscapeDataString(launch)}";

    private void Map(WebApplication app)
    {
        app.MapGet("/fhir/.well-known/smart-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Origin.ToString().TrimEnd('/'),
            ["authorization_endpoint"] = $"{Origin}authorize",
            ["token_endpoint"] = $"{Origin}token",
            ["grant_types_supported"] = new[] { "authorization_code" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "none" },
            ["capabilities"] = new[] { "launch-ehr", "launch-standalone", "client-public", "context-ehr-patient", "context-standalone-patient", "sso-openid-connect", "permission-v1", "permission-v2", "permission-patient", "permission-user" },
        }));
        app.MapGet("/authorize", (HttpRequest request) => _codes.Authorize(request, FhirBase));
        app.MapPost("/token", TokenAsync);
        app.MapGet("/fhir/{type}/{id}", (string type, string id, HttpRequest request) =>
            !Authorized(request) ? Results.Unauthorized()
            : _resources.TryGetValue($"{type}/{id}", out var resource) ? Fhir(resource)
            : Results.NotFound());
        app.MapGet("/fhir/{type}", (string type, HttpRequest request) => !Authorized(request) ? Results.Unauthorized() : Fhir(Search(type, request.Query)));
        app.MapPost("/fhir/QuestionnaireResponse", async (HttpRequest request) =>
        {
            if (!Authorized(request))
            {
                return Results.Unauthorized();
            }

            using var reader = new StreamReader(request.Body);
            var response = FhirJson.Parse<QuestionnaireResponse>(await reader.ReadToEndAsync());
            response.Id = Guid.NewGuid().ToString("N");
            _saved.Enqueue(response);
            _resources[$"QuestionnaireResponse/{response.Id}"] = response;
            return Results.Text(FhirJson.Serialize(response), "application/fhir+json", Encoding.UTF8, StatusCodes.Status201Created);
        });
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        if (await _codes.RedeemAsync(request) is not { } pending)
        {
            return PkceAuthorizationCodes.InvalidGrant();
        }

        if (pending.Launch.Length > 0)
        {
            _launches.Enqueue(pending.Launch);
        }

        var token = new Dictionary<string, object>
        {
            ["access_token"] = _accessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = 3600,
            ["scope"] = pending.Scope,
            ["patient"] = PatientId,
            ["fhirContext"] = FhirContext,
        };
        if (FhirUser is not null && pending.Scope.Contains("openid", StringComparison.Ordinal))
        {
            token["id_token"] = IdToken();
        }

        return Results.Json(token);
    }

    // The app reads fhirUser from the id token; this EHR does not sign it (the app does not verify it either).
    private string IdToken()
    {
        static string Part(object value) => PkceAuthorizationCodes.Base64Url(JsonSerializer.SerializeToUtf8Bytes(value));
        return $"{Part(new { alg = "none", typ = "JWT" })}.{Part(new { iss = Origin.ToString().TrimEnd('/'), sub = "clinician", aud = ClientId, fhirUser = $"{FhirBase}/{FhirUser}" })}.";
    }

    private bool Authorized(HttpRequest request) => request.Headers.Authorization.ToString() == $"Bearer {_accessToken}";

    private Bundle Search(string type, IQueryCollection query)
    {
        var patient = query["patient"].ToString();
        var codes = query["code"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
        var bundle = new Bundle { Type = Bundle.BundleType.Searchset };
        foreach (var resource in _resources.Values.Where(r => r.TypeName == type))
        {
            if (patient.Length > 0 && SubjectOf(resource) != $"Patient/{patient}")
            {
                continue;
            }

            if (codes.Length > 0 && !CodesOf(resource).Any(c => codes.Contains($"{c.System}|{c.Code}") || codes.Contains(c.Code)))
            {
                continue;
            }

            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"{FhirBase}/{resource.TypeName}/{resource.Id}", Resource = resource });
        }

        bundle.Total = bundle.Entry.Count;
        return bundle;
    }

    private static string? SubjectOf(Resource resource) => resource switch
    {
        Observation o => o.Subject?.Reference,
        Condition c => c.Subject?.Reference,
        Procedure p => p.Subject?.Reference,
        ServiceRequest s => s.Subject?.Reference,
        Coverage c => c.Beneficiary?.Reference,
        QuestionnaireResponse q => q.Subject?.Reference,
        _ => null,
    };

    private static List<Coding> CodesOf(Resource resource) => resource switch
    {
        Observation o => o.Code?.Coding ?? [],
        Condition c => c.Code?.Coding ?? [],
        Procedure p => p.Code?.Coding ?? [],
        ServiceRequest s => s.Code?.Coding ?? [],
        _ => [],
    };

    private static IResult Fhir(Resource resource) => Results.Text(FhirJson.Serialize(resource), "application/fhir+json", Encoding.UTF8);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
