using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace SpinePolicy.TestKit.Ehr;

/// <summary>
/// A WireMock.Net stand-in for an EHR: its FHIR server (under <see cref="FhirBase"/>) and the JWKS
/// endpoint where it publishes the keys that sign its CDS Hooks client tokens. Records every request,
/// so tests can see which bearer token reached it.
/// </summary>
public sealed class FakeEhr : IDisposable
{
    public const string FhirPath = "/fhir";
    public const string JwksPath = "/.well-known/jwks.json";
    private const string FhirJsonContentType = "application/fhir+json";

    private readonly WireMockServer _server = WireMockServer.Start();

    /// <summary>The FHIR base URL to send as fhirServer, e.g. http://localhost:1234/fhir.</summary>
    public Uri FhirBase => new($"{_server.Url}{FhirPath}");

    public string JwksUrl => $"{_server.Url}{JwksPath}";

    /// <summary>Answers GET {base}/{Type}/{id} with the resource.</summary>
    public FakeEhr ServeRead(Resource resource, TimeSpan? delay = null)
    {
        var response = Response.Create().WithStatusCode(200).WithHeader("Content-Type", FhirJsonContentType).WithBody(FhirJson.Serialize(resource));
        if (delay is { } d)
        {
            response = response.WithDelay(d);
        }

        _server.Given(Request.Create().WithPath($"{FhirPath}/{resource.TypeName}/{resource.Id}").UsingGet()).RespondWith(response);
        return this;
    }

    /// <summary>Answers GET {base}/{reference} with this resource, whatever its own id (an EHR answering with the wrong record).</summary>
    public FakeEhr ServeReadAt(string reference, Resource resource)
    {
        var response = Response.Create().WithStatusCode(200).WithHeader("Content-Type", FhirJsonContentType).WithBody(FhirJson.Serialize(resource));
        _server.Given(Request.Create().WithPath($"{FhirPath}/{reference}").UsingGet()).RespondWith(response);
        return this;
    }

    /// <summary>Answers GET {base}/{type}?{param}={value}… with a searchset Bundle of the resources.</summary>
    public FakeEhr ServeSearch(string resourceType, IReadOnlyDictionary<string, string> parameters, IEnumerable<Resource> results, TimeSpan? delay = null)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Searchset };
        foreach (var resource in results)
        {
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"{FhirBase}/{resource.TypeName}/{resource.Id}", Resource = resource });
        }

        bundle.Total = bundle.Entry.Count;
        var request = Request.Create().WithPath($"{FhirPath}/{resourceType}").UsingGet();
        foreach (var (name, value) in parameters)
        {
            request = request.WithParam(name, value);
        }

        var response = Response.Create().WithStatusCode(200).WithHeader("Content-Type", FhirJsonContentType).WithBody(FhirJson.Serialize(bundle));
        if (delay is { } d)
        {
            response = response.WithDelay(d);
        }

        _server.Given(request).RespondWith(response);
        return this;
    }

    /// <summary>Every FHIR request under a path prefix answers with this status (an EHR in trouble).</summary>
    public FakeEhr FailAll(int statusCode, string pathPrefix = "")
    {
        _server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher($"{FhirPath}{pathPrefix}*")).UsingGet())
            .AtPriority(100)
            .RespondWith(Response.Create().WithStatusCode(statusCode).WithBody("{\"resourceType\":\"OperationOutcome\"}"));
        return this;
    }

    /// <summary>Publishes a JWKS document at <see cref="JwksUrl"/>.</summary>
    public FakeEhr ServeJwks(string jwksJson)
    {
        _server.Given(Request.Create().WithPath(JwksPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(jwksJson));
        return this;
    }

    /// <summary>Paths of the requests received (without the host).</summary>
    public IReadOnlyList<string> RequestedPaths => _server.LogEntries.Select(e => e.RequestMessage.Path).ToList();

    /// <summary>The Authorization header of each FHIR request received.</summary>
    public IReadOnlyList<string?> FhirAuthorizationHeaders => _server.LogEntries
        .Where(e => e.RequestMessage.Path.StartsWith(FhirPath, StringComparison.Ordinal))
        .Select(e => e.RequestMessage.Headers is { } headers && headers.TryGetValue("Authorization", out var values) ? values.FirstOrDefault() : null)
        .ToList();

    public void Dispose() => _server.Stop();
}
