using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;

namespace SpinePolicy.CdsHooks.Tests.Support;

/// <summary>
/// Builds a CDS Hooks request as an EHR would send it. The envelope is a JsonObject; FHIR
/// resources inside are written by the Firely serializer (FhirJson), never by hand.
/// </summary>
public sealed class HookRequestBuilder
{
    private readonly JsonObject _root;
    private readonly JsonObject _context = [];
    private readonly JsonObject _prefetch = [];

    public HookRequestBuilder(string hook, string patientId = CrdTestData.PatientId)
    {
        _root = new JsonObject
        {
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["hook"] = hook,
            ["context"] = _context,
        };
        _context["userId"] = "Practitioner/dr-1";
        _context["patientId"] = patientId;
    }

    public static JsonNode Fhir(Resource resource) => JsonNode.Parse(FhirJson.Serialize(resource))!;

    public HookRequestBuilder Context(string name, JsonNode? value)
    {
        _context[name] = value;
        return this;
    }

    public HookRequestBuilder DraftOrders(params Resource[] orders) => Context("draftOrders", Fhir(CrdTestData.Collection(orders)));

    public HookRequestBuilder Prefetch(string key, Resource? resource)
    {
        _prefetch[key] = resource is null ? null : Fhir(resource);
        _root["prefetch"] = _prefetch;
        return this;
    }

    /// <summary>The usual prefetch: the Patient and a searchset of the Coverage(s).</summary>
    public HookRequestBuilder Member(Patient patient, params Coverage[] coverages) =>
        Prefetch("patient", patient).Prefetch("coverage", CrdTestData.Searchset(coverages));

    public HookRequestBuilder FhirServer(Uri server, string accessToken)
    {
        _root["fhirServer"] = server.ToString();
        _root["fhirAuthorization"] = new JsonObject
        {
            ["access_token"] = accessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = 300,
            ["scope"] = "user/Patient.read user/Coverage.read user/ServiceRequest.read",
            ["subject"] = "spinepolicy-crd",
        };
        return this;
    }

    public HookRequestBuilder Configuration(JsonObject options)
    {
        _root["extension"] = new JsonObject { ["davinci-crd.configuration"] = options };
        return this;
    }

    public HookRequestBuilder Without(string property)
    {
        _root.Remove(property);
        return this;
    }

    public HookRequestBuilder Set(string property, JsonNode? value)
    {
        _root[property] = value;
        return this;
    }

    public JsonObject Build() => _root;
}
