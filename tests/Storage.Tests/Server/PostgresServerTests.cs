using System.Net;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SpinePolicy.Fhir;
using SpinePolicy.Storage.Relational;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Postgres;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Storage.Tests.Server;

/// <summary>Server instances on PostgreSQL through the real host: shared data, concurrent start-up, restarts.</summary>
public sealed class PostgresServerTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private static CancellationToken Cancel => CancellationToken.None;

    private static SpinePolicyApp App(string connectionString) => new(new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "Postgres",
        ["Storage:Postgres:ConnectionString"] = connectionString,
    });

    [Fact]
    public async Task TwoInstances_OneDatabase_SeeEachOthersWrites()
    {
        var connectionString = await database.CreateSchemaAsync(Cancel);
        await using var first = App(connectionString);
        await using var second = App(connectionString);
        using var firstHealth = await first.CreateClient().GetAsync(new Uri("/healthz", UriKind.Relative), Cancel);
        using var secondHealth = await second.CreateClient().GetAsync(new Uri("/healthz", UriKind.Relative), Cancel);
        var key = Guid.NewGuid().ToString("N");

        var written = (await first.Services.GetRequiredService<IResourceStore>()
            .SaveAsync([new ResourceWrite(new Patient { Active = true }, UniqueKey: key)], Cancel))[0];
        var seen = await second.Services.GetRequiredService<IResourceStore>().ReadAsync("Patient", written.Id, Cancel);
        var racedKey = Record.ExceptionAsync(() => second.Services.GetRequiredService<IResourceStore>()
            .SaveAsync([new ResourceWrite(new Patient(), UniqueKey: key)], Cancel));
        var jti = Guid.NewGuid().ToString();
        var firstSawToken = await first.Services.GetRequiredService<IReplayCache>().TryRecordAsync("https://ehr.example.org", jti, DateTimeOffset.UtcNow.AddMinutes(5), Cancel);
        var secondSawToken = await second.Services.GetRequiredService<IReplayCache>().TryRecordAsync("https://ehr.example.org", jti, DateTimeOffset.UtcNow.AddMinutes(5), Cancel);

        Assert.Equal(HttpStatusCode.OK, firstHealth.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondHealth.StatusCode);
        Assert.NotNull(seen);
        Assert.True(FhirJson.Parse<Patient>(seen.Json).Active);
        Assert.IsType<DuplicateKeyException>(await racedKey);
        Assert.True(firstSawToken);
        Assert.False(secondSawToken);
    }

    [Fact]
    public async Task TwoInstances_ResourceCreatedThroughOne_IsServedByTheOther()
    {
        var connectionString = await database.CreateSchemaAsync(Cancel);
        await using var first = App(connectionString);
        await using var second = App(connectionString);
        using var firstFhir = first.CreateBackOfficeClient();
        using var secondFhir = second.CreateBackOfficeClient();
        var member = Guid.NewGuid().ToString("N");

        var created = await FhirApiHelpers.CreatePatientAsync(firstFhir, member, Cancel);
        var read = await FhirApiHelpers.GetAsync(secondFhir, $"/fhir/Patient/{created.Id}", Cancel);
        var search = await FhirApiHelpers.GetAsync(secondFhir, $"/fhir/Patient?identifier={member}", Cancel);

        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(created.Id, FhirJson.Parse<Patient>(read.Body).Id);
        Assert.Equal(created.Id, Assert.Single(FhirJson.Parse<Bundle>(search.Body).Entry).Resource?.Id);
    }

    [Fact]
    public async Task Startup_TwoInstancesMigratingAtOnce_BothStartWithOneSchema()
    {
        var connectionString = await database.CreateSchemaAsync(Cancel);
        await using var first = App(connectionString);
        await using var second = App(connectionString);

        // Both hosts build (and so migrate) concurrently on an empty schema.
        await Task.WhenAll(Task.Run(() => first.CreateClient().Dispose()), Task.Run(() => second.CreateClient().Dispose()));

        Assert.True(await first.Services.GetRequiredService<IDatabaseHealth>().IsReachableAsync(Cancel));
        Assert.True(await second.Services.GetRequiredService<IDatabaseHealth>().IsReachableAsync(Cancel));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancel);
        // Each migration applied exactly once, however the two hosts raced.
        await using var versions = new NpgsqlCommand("SELECT COUNT(*) FROM schema_version;", connection);
        Assert.Equal((long)SqlMigrations.All.Count, await versions.ExecuteScalarAsync(Cancel));
    }

    [Fact]
    public async Task Restart_SameDatabase_KeepsAcknowledgedWrites()
    {
        var connectionString = await database.CreateSchemaAsync(Cancel);
        StoredResource saved;
        await using (var before = App(connectionString))
        {
            before.CreateClient().Dispose();
            saved = (await before.Services.GetRequiredService<IResourceStore>()
                .SaveAsync([new ResourceWrite(new Patient { Gender = AdministrativeGender.Other })], Cancel))[0];
        }

        await using var after = App(connectionString);
        using var health = await after.CreateClient().GetAsync(new Uri("/healthz", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var reread = await after.Services.GetRequiredService<IResourceStore>().ReadAsync("Patient", saved.Id, Cancel);
        Assert.Equal((saved.Id, saved.VersionId, saved.LastUpdated), (reread!.Id, reread.VersionId, reread.LastUpdated));
        Assert.Equal(AdministrativeGender.Other, FhirJson.Parse<Patient>(reread.Json).Gender);
    }

    [Fact]
    public async Task Health_DatabaseUnreachable_ReportsNotReachableAndWritesThrowUnavailable()
    {
        // A port nothing listens on. A host would not start (migration fails), so the stores are used directly.
        await using var stores = Postgres.PostgresStores.OpenWithoutMigration("Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=2");

        Assert.False(await stores.Health.IsReachableAsync(Cancel));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => stores.Resources.SaveAsync([new ResourceWrite(new Patient())], Cancel));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => stores.Resources.ReadAsync("Patient", "x", Cancel));
    }

    [Fact]
    public void Startup_PostgresUnreachable_StopsWithStorageUnavailable()
    {
        using var app = App("Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=2");

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(Chain(error), link => link is StorageUnavailableException);
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? link = error; link is not null; link = link.InnerException)
        {
            yield return link;
        }
    }
}
