using System.Net;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.Fhir;
using SpinePolicy.Reliability.Tests.Faults;
using SpinePolicy.Storage;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Postgres;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Reliability.Tests.Audit;

/// <summary>
/// No audit record of an answered request is lost when the database goes away: the writer keeps
/// retrying for as long as the outage lasts, and an instance stopped during the outage leaves its
/// records in the local journal for the next instance to write.
/// </summary>
[Trait("Category", "Faults")]
public sealed class AuditOutageTests
{
    private const int RequestsDuringOutage = 3;

    [Fact]
    public async Task Postgres_OutageLongerThanAFewRetries_EveryRecordWrittenOnceItIsBack()
    {
        await using var cluster = await PostgresCluster.StartDedicatedAsync();
        if (PostgresControl.DataPath(cluster) is not { } data)
        {
            return; // An external server (SPINEPOLICY_TEST_POSTGRES) is not ours to stop.
        }

        await using var app = new SpinePolicyApp(OnPostgres(await cluster.CreateDatabaseAsync()));
        var clientId = $"outage-{Guid.NewGuid():N}";
        await WarmUpAsync(app);

        await PostgresControl.StopAsync(data);
        try
        {
            await AnswerRequestsAsync(app, clientId);

            // Longer than the writer used to retry before it dropped the records (about 2 s).
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        finally
        {
            await PostgresControl.StartAsync(data);
        }

        Assert.Equal(RequestsDuringOutage, await WaitForAuditsAsync(app, clientId, RequestsDuringOutage));
    }

    [Fact]
    public async Task Postgres_InstanceStoppedDuringOutage_NextInstanceWritesItsRecords()
    {
        await using var cluster = await PostgresCluster.StartDedicatedAsync();
        if (PostgresControl.DataPath(cluster) is not { } data)
        {
            return;
        }

        var settings = OnPostgres(await cluster.CreateDatabaseAsync());
        var journal = Path.Combine(Path.GetTempPath(), "spinepolicy-tests", $"{Guid.NewGuid():N}.audit-journal");
        settings["Audit:JournalDirectory"] = journal;
        var clientId = $"outage-{Guid.NewGuid():N}";
        try
        {
            var first = new SpinePolicyApp(settings);
            await WarmUpAsync(first);
            await PostgresControl.StopAsync(data);
            await AnswerRequestsAsync(first, clientId);

            // A rolling deploy stops the instance while the database is still away.
            await first.DisposeAsync();
            Assert.NotEmpty(Directory.GetFiles(journal, "*.ndjson"));
        }
        finally
        {
            await PostgresControl.StartAsync(data);
        }

        await using var second = new SpinePolicyApp(settings);
        await WarmUpAsync(second);

        Assert.Equal(RequestsDuringOutage, await WaitForAuditsAsync(second, clientId, RequestsDuringOutage));
        Assert.Empty(Directory.GetFiles(journal));
    }

    private static Dictionary<string, string?> OnPostgres(string connection) => new()
    {
        ["Storage:Provider"] = "Postgres",
        ["Storage:Postgres:ConnectionString"] = connection,
    };

    private static async Task WarmUpAsync(SpinePolicyApp app)
    {
        for (var attempt = 0; attempt < 40; attempt++)
        {
            using var ready = await app.CreateClient().GetAsync(new Uri("/readyz", UriKind.Relative));
            if (ready.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Requests the server answers without the database (a client it does not know: 403), each audited.</summary>
    private static async Task AnswerRequestsAsync(SpinePolicyApp app, string clientId)
    {
        using var client = app.CreateFhirClientAs(clientId, ["system/Patient.read"]);
        for (var i = 0; i < RequestsDuringOutage; i++)
        {
            using var response = await client.GetAsync(new Uri("/fhir/Patient?_count=1", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    private static async Task<int> WaitForAuditsAsync(SpinePolicyApp app, string clientId, int expected)
    {
        var found = 0;
        for (var attempt = 0; attempt < 120 && found < expected; attempt++)
        {
            found = await CountAuditsAsync(app, clientId);
            if (found < expected)
            {
                await Task.Delay(250);
            }
        }

        // Then nothing more arrives than was answered (no record written twice).
        await Task.Delay(500);
        return await CountAuditsAsync(app, clientId);
    }

    private static async Task<int> CountAuditsAsync(SpinePolicyApp app, string clientId)
    {
        try
        {
            var page = await app.Services.GetRequiredService<IResourceStore>().SearchAsync(new ResourceSearch("AuditEvent") { Count = 1000 }, CancellationToken.None);
            return page.Resources.Select(r => FhirJson.Parse<AuditEvent>(r.Json))
                .Count(a => a.Agent.Any(agent => agent.Requestor == true && agent.Who?.Identifier?.Value == clientId));
        }
        catch (StorageUnavailableException)
        {
            // Pooled connections died with the server; the next try gets a fresh one.
            return 0;
        }
    }
}
