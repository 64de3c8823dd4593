using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.Conventions;

/// <summary>_format and Accept (JSON and XML), and XML request bodies, on every kind of /fhir endpoint.</summary>
public abstract partial class FhirConventionsSuite
{
    public static TheoryData<string> ReadsOfEveryKind => new()
    {
        "metadata",
        "Questionnaire/bvna-097",
        "Questionnaire?_id=bvna-097",
        "ValueSet/vertebral-level",
        $"ValueSet/$expand?url={Uri.EscapeDataString(VertebralLevelUrl)}",
        "ValueSet/vertebral-level/$expand",
        "CodeSystem",
        "Library",
        "Claim?_count=1",
    };

    [Theory]
    [MemberData(nameof(ReadsOfEveryKind))]
    public async Task Format_XmlByParameterOrAccept_AnswersXmlEverywhere(string relative)
    {
        using var client = Client();
        using var byParameter = await client.GetAsync(FhirHttp.Fhir(relative + (relative.Contains('?') ? "&" : "?") + "_format=xml"));
        using var request = new HttpRequestMessage(HttpMethod.Get, FhirHttp.Fhir(relative));
        request.Headers.Accept.ParseAdd("application/fhir+xml");
        using var byAccept = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, byParameter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byAccept.StatusCode);
        var fromParameter = await ReadXmlAsync(byParameter);
        var fromAccept = await ReadXmlAsync(byAccept);
        Assert.Equal(fromParameter.TypeName, fromAccept.TypeName);
    }

    [Fact]
    public async Task Format_XmlOnOperations_AnswersXml()
    {
        using var client = Client();

        using var package = await client.PostAsync(FhirHttp.Fhir("Questionnaire/$questionnaire-package?_format=xml"), FhirHttp.Json(PackageRequest()));
        using var request = new HttpRequestMessage(HttpMethod.Post, FhirHttp.Fhir("ValueSet/$expand")) { Content = Xml(ExpandByUrl()) };
        request.Headers.Accept.ParseAdd("application/fhir+xml");
        using var expand = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, package.StatusCode);
        Assert.IsType<Parameters>(await ReadXmlAsync(package));
        Assert.Equal(HttpStatusCode.OK, expand.StatusCode);
        Assert.NotEmpty(Assert.IsType<ValueSet>(await ReadXmlAsync(expand)).Expansion!.Contains);
    }

    public static TheoryData<string, string, string?> UnacceptableFormats => new()
    {
        { "GET", "metadata?_format=bogus", null },
        { "GET", "Patient?_format=html", null },
        { "GET", "Questionnaire?_format=bogus", null },
        { "GET", "Questionnaire/bvna-097?_format=bogus", null },
        { "GET", "Library", "text/html" },
        { "GET", $"ValueSet/$expand?url={Uri.EscapeDataString(VertebralLevelUrl)}&_format=text/turtle", null },
        { "GET", "ExplanationOfBenefit?patient=p1&use=preauthorization", "application/fhir+json; fhirVersion=5.0" },
        { "POST", "Questionnaire/$questionnaire-package?_format=bogus", null },
        { "POST", "Claim/$submit", "text/csv" },
    };

    [Theory]
    [MemberData(nameof(UnacceptableFormats))]
    public async Task Format_NotJsonOrXml_Is406Everywhere(string method, string relative, string? accept)
    {
        using var client = Client();
        using var request = new HttpRequestMessage(new HttpMethod(method), FhirHttp.Fhir(relative));
        if (method == "POST")
        {
            request.Content = FhirHttp.Json(PackageRequest());
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await client.SendAsync(request);

        var outcome = await RefusalAsync(response, HttpStatusCode.NotAcceptable);
        Assert.Equal(OperationOutcome.IssueType.NotSupported, outcome.Issue[0].Code);
    }

    [Fact]
    public async Task Format_BrowserAcceptWithWildcard_AnswersJson()
    {
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, FhirHttp.Fhir("Questionnaire/bvna-097"));
        request.Headers.TryAddWithoutValidation("Accept", "text/html,*/*;q=0.8");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Body_XmlOnEveryOperationThatTakesOne_IsRead()
    {
        using var client = Client();

        using var package = await client.PostAsync(FhirHttp.Fhir("Questionnaire/$questionnaire-package"), Xml(PackageRequest()));
        using var expand = await client.PostAsync(FhirHttp.Fhir("ValueSet/$expand"), Xml(ExpandByUrl()));
        using var errors = await client.PostAsync(FhirHttp.Fhir("Questionnaire/$log-questionnaire-errors"), Xml(QuestionnaireErrors()));

        // A Bundle that is not a PAS request: read as XML, then refused for what it says.
        using var submit = await client.PostAsync(FhirHttp.Fhir("Claim/$submit"), Xml(new Bundle { Type = Bundle.BundleType.Collection, Entry = [new Bundle.EntryComponent { FullUrl = "urn:uuid:6c1f4a36-9b56-4c53-9a55-0fa0b7b7e0a1", Resource = new Patient() }] }));

        Assert.Equal(HttpStatusCode.OK, package.StatusCode);
        Assert.Contains((await FhirHttp.ReadAsync<Parameters>(package)).Parameter, p => p.Name == "PackageBundle");
        Assert.Equal(HttpStatusCode.OK, expand.StatusCode);
        Assert.Equal(HttpStatusCode.OK, errors.StatusCode);
        var refusal = await RefusalAsync(submit, HttpStatusCode.BadRequest);
        Assert.Contains("first entry", refusal.Issue[0].Diagnostics, StringComparison.OrdinalIgnoreCase);
    }

    private static Parameters ExpandByUrl()
    {
        var parameters = new Parameters();
        parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "url", Value = new FhirUri(VertebralLevelUrl) });
        return parameters;
    }

    /// <summary>DTR's $log-questionnaire-errors input: the form that failed and what went wrong.</summary>
    private static Parameters QuestionnaireErrors()
    {
        var parameters = new Parameters();
        parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "questionnaire", Value = new Canonical("https://spinepolicy.example.org/fhir/Questionnaire/bvna-097|2026.01.0") });
        parameters.Parameter.Add(new Parameters.ParameterComponent
        {
            Name = "operationOutcome",
            Resource = Fhir.OperationOutcomes.Error(OperationOutcome.IssueType.Processing, "initialExpression failed for item bvna-bmi"),
        });
        return parameters;
    }
}
