using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.Reliability.Tests.Fuzzing;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Postgres;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Reliability.Tests.Faults;

/// <summary>
/// PostgreSQL restarts while Claim/$submit calls are in flight. Afterwards every acknowledged
/// ClaimResponse is still there, and every submit that was not acknowledged can be sent again and
/// is decided exactly once (resubmitting the same Bundle returns the same ClaimResponse).
/// </summary>
[Trait("Category", "Faults")]
public sealed class PostgresRestartDuringSubmitTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Submits = 24;

    [Fact]
    public async Task Submit_PostgresRestartsMidFlight_AcknowledgedKeptAndRestRetriedIdempotently()
    {
        await using var cluster = await PostgresCluster.StartDedicatedAsync();
        var data = PostgresControl.DataPath(cluster);
        if (data is null)
        {
            return; // An external server (SPINEPOLICY_TEST_POSTGRES) is not ours to restart.
        }

        await using var app = new SpinePolicyApp(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:Postgres:ConnectionString"] = await cluster.CreateDatabaseAsync(),
        });
        using var client = app.CreateFhirClient("system/*.*");
        var run = Guid.NewGuid().ToString("N")[..8];
        var acknowledged = new ConcurrentDictionary<int, string>();
        var unacknowledged = new ConcurrentBag<int>();

        async Task SubmitOneAsync(int i)
        {
            var (status, claimResponseId) = await SubmitAsync(client, $"{run}-{i}");
            if (status == HttpStatusCode.OK && claimResponseId is not null)
            {
                acknowledged[i] = claimResponseId;
            }
            else
            {
                Assert.True(status is HttpStatusCode.ServiceUnavailable or 0, $"submit {i} got {(int)status} during the restart");
                unacknowledged.Add(i);
            }
        }

        // A third are acknowledged before the restart; the rest are sent while it happens.
        foreach (var i in Enumerable.Range(0, Submits / 3))
        {
            await SubmitOneAsync(i);
        }

        var restarting = Task.Run(async () =>
        {
            await Task.Delay(50);
            await PostgresControl.StopAsync(data);
            await Task.Delay(300);
            await PostgresControl.StartAsync(data);
        });
        await Task.WhenAll(Enumerable.Range(Submits / 3, Submits - (Submits / 3)).Select(SubmitOneAsync));
        await restarting;

        // Every acknowledged decision survived the restart, and resubmitting it replays it.
        foreach (var (i, claimResponseId) in acknowledged)
        {
            using var read = await RetryAsync(() => client.GetAsync($"/fhir/ClaimResponse/{claimResponseId}"));
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            var (_, replayed) = await SubmitUntilAcknowledgedAsync(client, $"{run}-{i}");
            Assert.Equal(claimResponseId, replayed);
        }

        // Every unacknowledged one can be sent again: decided once, the same answer the second time.
        foreach (var i in unacknowledged)
        {
            var (_, first) = await SubmitUntilAcknowledgedAsync(client, $"{run}-{i}");
            var (_, second) = await SubmitUntilAcknowledgedAsync(client, $"{run}-{i}");
            Assert.Equal(first, second);
        }

        Assert.Equal(Submits, acknowledged.Count + unacknowledged.Count);
        output.WriteLine($"{acknowledged.Count} acknowledged before/through the restart, {unacknowledged.Count} refused and retried");
    }

    private static async Task<(HttpStatusCode Status, string? ClaimResponseId)> SubmitAsync(HttpClient client, string identifier)
    {
        try
        {
            using var content = new ByteArrayContent(ValidRequests.Bytes(ValidRequests.PasRequest(identifier)));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json");
            using var response = await client.PostAsync("/fhir/Claim/$submit", content);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (response.StatusCode, null);
            }

            var bundle = FhirJson.Parse<Bundle>(await response.Content.ReadAsStringAsync());
            return (response.StatusCode, bundle.Entry.Select(e => e.Resource).OfType<ClaimResponse>().First().Id);
        }
        catch (HttpRequestException)
        {
            return (0, null);
        }
    }

    private static async Task<(HttpStatusCode, string)> SubmitUntilAcknowledgedAsync(HttpClient client, string identifier)
    {
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var (status, id) = await SubmitAsync(client, identifier);
            if (status == HttpStatusCode.OK && id is not null)
            {
                return (status, id);
            }

            Assert.True(status is HttpStatusCode.ServiceUnavailable or 0, $"retrying {identifier} got {(int)status}");
            await Task.Delay(250);
        }

        throw new Xunit.Sdk.XunitException($"{identifier} was never acknowledged after the restart.");
    }

    private static async Task<HttpResponseMessage> RetryAsync(Func<Task<HttpResponseMessage>> send)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await send();
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt >= 40)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(250);
        }
    }
}
