using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using SpinePolicy.TestKit.Postgres;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Storage.Tests.Postgres;

/// <summary>The PostgreSQL server crashing under writes, on a cluster of its own (the shared one must stay up).</summary>
public sealed class PostgresCrashTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static CancellationToken Cancel => CancellationToken.None;

    [Fact]
    public async Task Save_ServerCrashesWhileWriting_EveryAcknowledgedWriteSurvivesAndWritesResume()
    {
        await using var cluster = await PostgresCluster.StartDedicatedAsync();
        await using var stores = await PostgresStores.OpenAsync(await cluster.CreateDatabaseAsync(Cancel), TimeProvider.System, Cancel);
        var acknowledged = new ConcurrentQueue<string>();
        var unexpected = new ConcurrentQueue<Exception>();
        var unavailable = 0;
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var saved = await stores.Resources.SaveAsync([new ResourceWrite(new Patient { Active = true })], Cancel);
                    acknowledged.Enqueue(saved[0].Id);
                }
                catch (StorageUnavailableException)
                {
                    // What the edge turns into 503: the client retries later.
                    Interlocked.Increment(ref unavailable);
                    await Task.Delay(20, Cancel);
                }
                catch (Exception ex)
                {
                    unexpected.Enqueue(ex);
                }
            }
        })).ToList();

        await WaitUntilAsync(() => acknowledged.Count >= 20);
        await cluster.CrashAndRestartAsync();
        var beforeRecovery = acknowledged.Count;
        await WaitUntilAsync(() => acknowledged.Count >= beforeRecovery + 20);
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.True(unexpected.IsEmpty, $"Besides {unavailable} refusals as unavailable: " + string.Join("; ", unexpected.Select(ex => $"{ex.GetType().Name}: {ex.Message}")));
        foreach (var id in acknowledged)
        {
            Assert.NotNull(await stores.Resources.ReadAsync("Patient", id, Cancel));
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The writers made no progress in time.");
            await Task.Delay(50, Cancel);
        }
    }
}
