using SpinePolicy.EhrStub;

// A static stand-in for the EHR's FHIR server (read and search only) on loopback, for the CRD
// order-sign scenario without prefetch: our server must fetch Patient, Coverage … from here.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();

var folder = builder.Configuration["DataFolder"]
    ?? throw new InvalidOperationException("Set DataFolder to a folder of FHIR resources (one JSON file each).");
var data = new StaticFhirData(folder);

var app = builder.Build();
const string FhirJsonType = "application/fhir+json";

app.MapGet("/fhir/{type}/{id}", (string type, string id) =>
    data.Read(type, id) is { } body ? Results.Bytes(body, FhirJsonType) : Results.NotFound());
app.MapGet("/fhir/{type}", (string type, HttpRequest request) =>
    Results.Bytes(data.Search(type, request.Query.ContainsKey("_include") || request.Query.ContainsKey("_include:iterate")), FhirJsonType));
app.MapGet("/healthz", () => Results.Ok(new { resources = data.Count }));

await app.RunAsync();
