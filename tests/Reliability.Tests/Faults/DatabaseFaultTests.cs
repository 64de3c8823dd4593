using System.Net;
using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using Microsoft.Data.Sqlite;
using SpinePolicy.Fhir;
using SpinePolicy.Reliability.Tests.Fuzzing;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Postgres;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Reliability.Tests.Faults;

/// <summary>
/// The database goes away: writes are refused with 503 and Retry-After (an OperationOutcome), nothing
/// is half-written, readiness says so, and once the database is back the same request succeeds.
/// </summary>
[Trait("Category", "Faults")]
public sealed class DatabaseFaultTests
{
    [Fact]
    public async Task Sqlite_DatabaseLockedByAnotherWriter_Write503WithRetryAfterAndNothingWritten()
    {
        // The store waits out its busy timeout (10 s) before it gives up.
        await using var app = new SpinePolicyApp();
        using var client = app.CreateBackOfficeClient("system/*.*");
        using (var warmUp = await client.GetAsync("/fhir/Patient?_count=1"))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        var identifier = $"locked-{Guid.NewGuid():N}";
        await using (var blocker = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False"))
        {
            await blocker.OpenAsync();
            await using var exclusive = blocker.CreateCommand();
            exclusive.CommandText = "BEGIN EXCLUSIVE;";
            await exclusive.ExecuteNonQueryAsync();

            using var refused = await CreatePatientAsync(client, identifier);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Equal(OperationOutcome.IssueType.Transient, FhirJson.Parse<OperationOutcome>(await refused.Content.ReadAsStringAsync()).Issue.Single().Code);
        }

        Assert.Equal(0, await CountPatientsAsync(client, identifier));
        using var retried = await CreatePatientAsync(client, identifier);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(1, await CountPatientsAsync(client, identifier));
    }

    [Fact]
    public async Task Postgres_ServerStopped_503WithRetryAfterNotReadyAndRecovers()
    {
        await using var cluster = await PostgresCluster.StartDedicatedAsync();
        var data = PostgresControl.DataPath(cluster);
        if (data is null)
        {
            // An external server (SPINEPOLICY_TEST_POSTGRES) is not ours to stop.
            return;
        }

        var connection = await cluster.CreateDatabaseAsync();
        await using var app = new SpinePolicyApp(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:Postgres:ConnectionString"] = connection,
            ["CdsHooks:Authentication:Enabled"] = "false",
        });
        using var client = app.CreateBackOfficeClient("system/*.*");
        using var ehr = app.CreateClient();
        var identifier = $"pg-down-{Guid.NewGuid():N}";
        using (var ready = await client.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        await PostgresControl.StopAsync(data);
        try
        {
            using var refused = await CreatePatientAsync(client, identifier);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            FhirJson.Parse<OperationOutcome>(await refused.Content.ReadAsStringAsync());

            using var search = await client.GetAsync($"/fhir/Patient?identifier={identifier}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, search.StatusCode);

            using var notReady = await client.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            using (var readiness = System.Text.Json.JsonDocument.Parse(await notReady.Content.ReadAsStringAsync()))
            {
                // The probe names the dependency that failed, and only that one.
                Assert.Equal("unhealthy", readiness.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
                Assert.Equal("healthy", readiness.RootElement.GetProperty("checks").GetProperty("policy").GetProperty("status").GetString());
                Assert.Contains("database unreachable", readiness.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString()));
            }

            // A hook whose decision cannot be recorded: 503, and the EHR is told when to retry.
            using var hook = new StringContent(ValidRequests.OrderSign("http://ehr.invalid/fhir").ToJsonString(), System.Text.Encoding.UTF8, "application/json");
            using var hookRefused = await ehr.PostAsync("/cds-services/order-sign-crd", hook);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, hookRefused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), hookRefused.Headers.RetryAfter?.Delta);
        }
        finally
        {
            await PostgresControl.StartAsync(data);
        }

        // Pooled connections died with the server; the first calls may still see that.
        HttpStatusCode status = 0;
        for (var attempt = 0; attempt < 20 && status != HttpStatusCode.Created; attempt++)
        {
            using var retried = await CreatePatientAsync(client, identifier);
            status = retried.StatusCode;
            Assert.True(status is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"retry got {status}");
            if (status != HttpStatusCode.Created)
            {
                await Task.Delay(250);
            }
        }

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(1, await CountPatientsAsync(client, identifier));
    }

    private static async Task<HttpResponseMessage> CreatePatientAsync(HttpClient client, string identifier)
    {
        var patient = ValidRequests.Patient();
        patient.Id = null;
        patient.Identifier = [new Identifier("https://spinepolicy.example.org/fhir/NamingSystem/fault-test", identifier)];
        using var content = new ByteArrayContent(ValidRequests.Bytes(patient));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json");
        return await client.PostAsync("/fhir/Patient", content);
    }

    private static async Task<int> CountPatientsAsync(HttpClient client, string identifier)
    {
        using var response = await client.GetAsync($"/fhir/Patient?identifier={identifier}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return FhirJson.Parse<Bundle>(await response.Content.ReadAsStringAsync()).Entry.Count;
    }
}
