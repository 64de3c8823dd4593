using System.Diagnostics;
using SpinePolicy.Server;
using SpinePolicy.Storage;

namespace SpinePolicy.Seed;

/// <summary>
/// Fills the server's store with stored decisions for the ClaimResponse search benchmark, through
/// the same IResourceStore and configuration the server uses (Storage:Provider, …).
/// Usage: dotnet SpinePolicy.Seed.dll --count 100000 --patients 20000 [--Storage:Provider=Postgres …]
/// </summary>
internal static class SeedProgram
{
    private const int BatchSize = 1000;

    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.ClearProviders();
        builder.Services.AddStorage(builder.Configuration);
        var count = builder.Configuration.GetValue("count", 100_000);
        var patients = builder.Configuration.GetValue("patients", 20_000);

        await using var app = builder.Build();
        await app.InitializeStorageAsync();
        var store = app.Services.GetRequiredService<IResourceStore>();

        var started = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        for (var first = 0; first < count; first += BatchSize)
        {
            var writes = Enumerable.Range(first, Math.Min(BatchSize, count - first))
                .Select(i => new ResourceWrite(DecisionFactory.Create(i, patients, now)))
                .ToList();
            await store.SaveAsync(writes, CancellationToken.None);
        }

        Console.WriteLine($"seeded {count} ClaimResponses over {patients} patients in {started.Elapsed.TotalSeconds:F1} s");
        return 0;
    }
}
