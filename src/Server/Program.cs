using SpinePolicy.CdsHooks;
using SpinePolicy.FhirQuestionnaire;
using SpinePolicy.FhirRest;
using SpinePolicy.PriorAuthorization;
using SpinePolicy.Server;
using SpinePolicy.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddServerDefaults();
builder.Services.AddPolicy(builder.Configuration, builder.Environment);
builder.Services.AddStorage(builder.Configuration);
builder.Services.AddCdsHooks(builder.Configuration);
builder.Services.AddDtr(builder.Configuration);
builder.Services.AddPas(builder.Configuration);
builder.Services.AddFhirRest(builder.Configuration);

var app = builder.Build();

app.UseServerDefaults();
app.MapHealth();
app.MapCdsHooks();
var fhir = app.MapFhirApi();
fhir.MapDtr();
fhir.MapPas();
fhir.MapFhirRest();

await app.InitializeStorageAsync();
await app.RunAsync();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
