using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.Fhir;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.PolicyEngine;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.Facts.Tests.Support;

/// <summary>
/// One real server (its own SQLite file) and the three ways a case reaches it: a CRD order-sign
/// hook, DTR ($questionnaire-package, $next-question) and PAS Claim/$submit.
/// </summary>
public sealed class ThreeSlices : IDisposable
{
    public ThreeSlices(IDictionary<string, string?>? settings = null)
    {
        App = new SpinePolicyApp(settings);
        Fhir = App.CreateFhirClient();
        Cds = App.CreateClient();
    }

    public SpinePolicyApp App { get; }

    public HttpClient Fhir { get; }

    public HttpClient Cds { get; }

    public Policy Policy => App.Services.GetRequiredService<Policy>();

    public IQuestionnaireCatalog Catalog => App.Services.GetRequiredService<IQuestionnaireCatalog>();

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>CRD order-sign with the member prefetched and the orders as draftOrders.</summary>
    public Task<(HttpStatusCode Status, JsonElement Body)> OrderSignAsync(Member member, params Order[] orders) =>
        OrderSignAsync(member, orders.Select(o => (Resource)o.ServiceRequest(member.Id)).ToList());

    /// <summary>order-sign with these draft orders, whatever their type.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> OrderSignAsync(Member member, IReadOnlyList<Resource> draftOrders)
    {
        var draft = new Bundle { Type = Bundle.BundleType.Collection, Entry = draftOrders.Select(o => new Bundle.EntryComponent { Resource = o }).ToList() };
        var coverages = new Bundle { Type = Bundle.BundleType.Searchset, Entry = [new Bundle.EntryComponent { FullUrl = "http://ehr.test.example/fhir/Coverage/coverage-1", Resource = member.Coverage() }] };
        var body = new JsonObject
        {
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["hook"] = "order-sign",
            ["context"] = new JsonObject
            {
                ["userId"] = "Practitioner/dr-1",
                ["patientId"] = member.Id,
                ["draftOrders"] = Node(draft),
            },
            ["prefetch"] = new JsonObject { ["patient"] = Node(member.Patient()), ["coverage"] = Node(coverages) },
        };
        const string service = "order-sign-crd";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/cds-services/{service}")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.MintCdsHooksToken($"http://localhost/cds-services/{service}"));
        using var response = await Cds.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    /// <param name="client">The caller (another provider's client, say); the default provider's when null.</param>
    public Task<(HttpStatusCode Status, Resource? Body)> NextQuestionAsync(QuestionnaireResponse response, HttpClient? client = null) =>
        PostAsync("/fhir/Questionnaire/$next-question", new Parameters { Parameter = [new Parameters.ParameterComponent { Name = "questionnaire-response", Resource = response }] }, client);

    public Task<(HttpStatusCode Status, Resource? Body)> PackageAsync(Member member, IEnumerable<Order> orders, bool sendPatient = true, params Resource[] referenced) =>
        PackageAsync(member, orders.Select(o => (Resource)o.ServiceRequest(member.Id)), sendPatient, referenced);

    /// <summary>$questionnaire-package for these order resources, whatever their type.</summary>
    public Task<(HttpStatusCode Status, Resource? Body)> PackageAsync(Member member, IEnumerable<Resource> orders, bool sendPatient = true, params Resource[] referenced)
    {
        var input = new Parameters();
        input.Parameter.Add(new Parameters.ParameterComponent { Name = "coverage", Resource = member.Coverage() });
        foreach (var order in orders)
        {
            input.Parameter.Add(new Parameters.ParameterComponent { Name = "order", Resource = order });
        }

        foreach (var resource in (sendPatient ? [member.Patient()] : Array.Empty<Resource>()).Concat(referenced))
        {
            input.Parameter.Add(new Parameters.ParameterComponent { Name = "referenced", Resource = resource });
        }

        return PostAsync("/fhir/Questionnaire/$questionnaire-package", input);
    }

    public Task<(HttpStatusCode Status, Resource? Body)> SubmitAsync(Bundle bundle) => PostAsync("/fhir/Claim/$submit", bundle);

    public async Task<(HttpStatusCode Status, Resource? Body)> PostAsync(string path, Resource resource, HttpClient? client = null)
    {
        using var content = new StringContent(FhirJson.Serialize(resource), Encoding.UTF8, "application/fhir+json");
        using var response = await (client ?? Fhir).PostAsync(new Uri(path, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        Resource? body = null;
        if (text.Length > 0 && text.TrimStart().StartsWith('{'))
        {
            body = FhirJson.Parse<Resource>(text);
        }

        return (response.StatusCode, body);
    }

    public void Dispose()
    {
        Fhir.Dispose();
        Cds.Dispose();
        App.Dispose();
    }

    private static JsonNode Node(Resource resource) => JsonNode.Parse(FhirJson.Serialize(resource))!;
}
