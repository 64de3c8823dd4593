using System.Net.Http.Headers;
using System.Text;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.Fhir;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PriorAuthorization.Review;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.PriorAuthorization.Tests.Support;

/// <summary>The real server (SpinePolicyApp) with helpers to post FHIR and read answers.</summary>
public sealed class PasHost : IDisposable
{
    private readonly SpinePolicyApp _app;
    private readonly WebApplicationFactory<Program> _factory;

    public PasHost(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        _app = new SpinePolicyApp(settings);
        _factory = configure is null ? _app : _app.WithWebHostBuilder(builder => builder.ConfigureTestServices(configure));
        Client = CreateClient();
    }

    public string DatabasePath => _app.DatabasePath;

    public IReadOnlyDictionary<string, string?> Settings => _app.Settings;

    public HttpClient Client { get; }

    public IServiceProvider Services => _factory.Services;

    public Policy Policy => Services.GetRequiredService<Policy>();

    public IQuestionnaireCatalog Catalog => Services.GetRequiredService<IQuestionnaireCatalog>();

    public HttpClient CreateClient(string? token = null, params string[] scopes)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? TestTokens.MintFhirToken(scopes.Length > 0 ? scopes : ["system/*.*"]));
        return client;
    }

    /// <summary>A client with no credentials at all (the public, for public pages).</summary>
    public HttpClient CreateAnonymousClient() => _factory.CreateClient();

    /// <summary>A client acting as another configured client (see <see cref="TestClients"/>), with system/*.*.</summary>
    public HttpClient CreateClientAs(string clientId, string? issuer = null) =>
        CreateClient(TestTokens.MintFhirToken(["system/*.*"], clientId, issuer ?? TestTokens.FhirIssuer));

    public QuestionnaireResponse Fill(Answers answers) => answers.ToResponse(Policy, Catalog);

    public Task<FhirAnswer> SubmitAsync(Bundle bundle) => PostAsync(Client, "/fhir/Claim/$submit", bundle);

    public Task<FhirAnswer> InquireAsync(Bundle bundle) => PostAsync(Client, "/fhir/Claim/$inquire", bundle);

    /// <summary>The reviewer queue's row for one stored request (it must be pended).</summary>
    public async Task<PendedRequest> QueuedAsync(string recordId)
    {
        using var scope = Services.CreateScope();
        var queue = await scope.ServiceProvider.GetRequiredService<PendedRequestQueue>().ListAsync(null, CancellationToken.None);
        return Assert.Single(queue, r => r.RecordId == recordId);
    }

    public static async Task<FhirAnswer> PostAsync(HttpClient client, string path, Resource resource) =>
        await PostJsonAsync(client, path, FhirJson.Serialize(resource));

    public static async Task<FhirAnswer> PostJsonAsync(HttpClient client, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/fhir+json");
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
        return await FhirAnswer.ReadAsync(response);
    }

    public void Dispose()
    {
        Client.Dispose();
        _factory.Dispose();
        _app.Dispose();
    }
}
