using System.Net;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.Storage;
using SpinePolicy.TestKit;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Storage.Tests.Server;

/// <summary>The server on SQLite, through the real host: start-up migration, restarts, bad settings.</summary>
public sealed class SqliteServerTests
{
    private static CancellationToken Cancel => CancellationToken.None;

    [Fact]
    public async Task Startup_FreshSqliteFile_CreatesDatabaseAndAnswersHealthz()
    {
        await using var app = new SpinePolicyApp();
        Assert.False(File.Exists(app.DatabasePath));

        using var response = await app.CreateClient().GetAsync(new Uri("/healthz", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(File.Exists(app.DatabasePath));
        Assert.True(await app.Services.GetRequiredService<IDatabaseHealth>().IsReachableAsync(Cancel));
    }

    [Fact]
    public async Task Restart_SameSqliteFile_KeepsAcknowledgedWrites()
    {
        var path = Path.Combine(Path.GetTempPath(), "spinepolicy-tests", $"{Guid.NewGuid():N}.db");
        var settings = new Dictionary<string, string?> { ["Storage:Sqlite:Path"] = path };
        var key = Guid.NewGuid().ToString("N");
        StoredResource saved;
        await using (var first = new SpinePolicyApp(settings))
        {
            first.CreateClient().Dispose();
            var store = first.Services.GetRequiredService<IResourceStore>();
            saved = (await store.SaveAsync([new ResourceWrite(new Patient { Gender = AdministrativeGender.Female }, UniqueKey: key)], Cancel))[0];
        }

        await using var second = new SpinePolicyApp(settings);
        using var response = await second.CreateClient().GetAsync(new Uri("/healthz", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reread = await second.Services.GetRequiredService<IResourceStore>().FindByUniqueKeyAsync("Patient", key, Cancel);
        Assert.Equal(saved, reread);
    }

    [Fact]
    public async Task Restart_ResourceCreatedThroughFhirApi_IsStillServedAfterRestart()
    {
        var path = Path.Combine(Path.GetTempPath(), "spinepolicy-tests", $"{Guid.NewGuid():N}.db");
        var settings = new Dictionary<string, string?> { ["Storage:Sqlite:Path"] = path };
        var member = Guid.NewGuid().ToString("N");
        Patient created;
        await using (var first = new SpinePolicyApp(settings))
        {
            using var fhir = first.CreateBackOfficeClient();
            created = await FhirApiHelpers.CreatePatientAsync(fhir, member, Cancel);
        }

        await using var second = new SpinePolicyApp(settings);
        using var client = second.CreateBackOfficeClient();
        var read = await FhirApiHelpers.GetAsync(client, $"/fhir/Patient/{created.Id}", Cancel);
        var search = await FhirApiHelpers.GetAsync(client, $"/fhir/Patient?identifier=https://payer.example.org/members|{member}", Cancel);
        var ready = await FhirApiHelpers.GetAsync(client, "/readyz", Cancel);

        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(created.Meta?.VersionId, SpinePolicy.Fhir.FhirJson.Parse<Patient>(read.Body).Meta?.VersionId);
        Assert.Equal(HttpStatusCode.OK, search.Status);
        Assert.Equal(created.Id, Assert.Single(SpinePolicy.Fhir.FhirJson.Parse<Bundle>(search.Body).Entry).Resource?.Id);
        Assert.Equal(HttpStatusCode.OK, ready.Status);
    }

    [Fact]
    public async Task Search_TamperedCursorThroughFhirApi_Answers400WithOperationOutcome()
    {
        await using var app = new SpinePolicyApp();
        using var fhir = app.CreateFhirClient();

        var (status, body) = await FhirApiHelpers.GetAsync(fhir, "/fhir/Claim?_cursor=not-a-token", Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("paging token", SpinePolicy.Fhir.FhirJson.Parse<OperationOutcome>(body).Issue[0].Diagnostics);
    }

    [Fact]
    public async Task Startup_RelativeSqlitePath_ResolvesAgainstContentRoot()
    {
        var contentRoot = Path.Combine(Path.GetTempPath(), "spinepolicy-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(contentRoot);
        await using var app = new SpinePolicyApp(new Dictionary<string, string?>
        {
            ["Storage:Sqlite:Path"] = "nested/folder/store.db",
            [Microsoft.AspNetCore.Hosting.WebHostDefaults.ContentRootKey] = contentRoot,
        });

        app.CreateClient().Dispose();

        Assert.True(File.Exists(Path.Combine(contentRoot, "nested", "folder", "store.db")));
    }

    [Theory]
    [InlineData("Oracle", null, "Storage:Provider")]
    [InlineData("Postgres", null, "Storage:Postgres:ConnectionString")]
    public void Startup_BadStorageSettings_StopsWithMessageNamingTheSetting(string provider, string? connectionString, string namedSetting)
    {
        using var app = new SpinePolicyApp(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider,
            ["Storage:Postgres:ConnectionString"] = connectionString,
        });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(namedSetting, Flatten(error));
    }

    [Fact]
    public void Startup_SqlitePathInsideAFile_StopsWithStorageUnavailable()
    {
        var blocker = Path.Combine(Path.GetTempPath(), "spinepolicy-tests", $"{Guid.NewGuid():N}.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(blocker)!);
        File.WriteAllText(blocker, "not a folder");
        using var app = new SpinePolicyApp(new Dictionary<string, string?> { ["Storage:Sqlite:Path"] = Path.Combine(blocker, "store.db") });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("SQLite", Flatten(error));
    }

    private static string Flatten(Exception error) =>
        string.Join(" | ", Enumerable.Repeat(error, 1).Concat(error is AggregateException aggregate ? aggregate.Flatten().InnerExceptions : [])
            .SelectMany(e => new[] { e.Message, e.InnerException?.Message ?? string.Empty }));
}
