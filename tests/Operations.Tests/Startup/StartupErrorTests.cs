using SpinePolicy.TestKit.Postgres;

namespace SpinePolicy.Operations.Tests.Startup;

/// <summary>
/// A configuration error stops the process with one line that says what to fix and a non-zero exit
/// code (78 configuration, 69 unreachable): never a stack trace, never "retry later".
/// </summary>
public sealed class StartupErrorTests
{
    private static Dictionary<string, string> Sqlite(string environment) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = environment,
        ["Storage__Provider"] = "Sqlite",
        ["Storage__Sqlite__Path"] = Path.Combine(Path.GetTempPath(), "spinepolicy-tests", $"{Guid.NewGuid():N}.db"),
    };

    private static Dictionary<string, string> Postgres(string connectionString) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["Storage__Provider"] = "Postgres",
        ["Storage__Postgres__ConnectionString"] = connectionString,
    };

    [Fact]
    public async Task Start_ProviderMisspelt_ExitsWithConfigurationErrorNamingTheSetting()
    {
        var settings = Sqlite("Development");
        settings["Storage__Provider"] = "Postgress";

        var exit = await ServerProcess.RunUntilExitAsync(settings);

        AssertOneLineFailure(exit, 78, "Storage:Provider", "Postgress");
    }

    [Fact]
    public async Task Start_SqliteFileHeldByAnotherWriterPastTheBusyTimeout_ExitsUnavailableSayingItIsLocked()
    {
        var settings = Sqlite("Development");
        settings["Storage__Sqlite__BusyTimeout"] = "00:00:01";
        Directory.CreateDirectory(Path.GetDirectoryName(settings["Storage__Sqlite__Path"])!);

        // Another process (here this test) holds the write lock for the whole start.
        await using var holder = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={settings["Storage__Sqlite__Path"]};Pooling=False");
        await holder.OpenAsync();
        await using var hold = holder.CreateCommand();
        hold.CommandText = "CREATE TABLE held (x INTEGER); BEGIN IMMEDIATE; INSERT INTO held VALUES (1);";
        await hold.ExecuteNonQueryAsync();

        var exit = await ServerProcess.RunUntilExitAsync(settings);

        AssertOneLineFailure(exit, 69, "Storage:Sqlite:Path", "locked", "Storage:Sqlite:BusyTimeout");
    }

    [Fact]
    public async Task Start_PostgresWithoutConnectionString_ExitsWithConfigurationErrorNamingTheSetting()
    {
        var exit = await ServerProcess.RunUntilExitAsync(Postgres(string.Empty));

        AssertOneLineFailure(exit, 78, "Storage:Postgres:ConnectionString");
    }

    [Fact]
    public async Task Start_PostgresHostUnreachable_ExitsUnavailableNamingHostAndPort()
    {
        var exit = await ServerProcess.RunUntilExitAsync(Postgres("Host=127.0.0.1;Port=1;Database=spinepolicy;Username=spinepolicy;Password=secret-word;Timeout=3"));

        AssertOneLineFailure(exit, 69, "127.0.0.1:1", "Host and Port");
        Assert.DoesNotContain("secret-word", exit.StandardError + exit.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PostgresDatabaseMissing_ExitsWithConfigurationErrorSayingToCreateIt()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var existing = new Npgsql.NpgsqlConnectionStringBuilder(await cluster.CreateDatabaseAsync()) { Database = $"missing_{Guid.NewGuid():N}" };

        var exit = await ServerProcess.RunUntilExitAsync(Postgres(existing.ConnectionString));

        AssertOneLineFailure(exit, 78, existing.Database!, "Create it");
    }

    [Fact]
    public async Task Start_ProductionWithoutPublicBaseUrl_ExitsWithConfigurationErrorNamingTheSetting()
    {
        var exit = await ServerProcess.RunUntilExitAsync(Sqlite("Production"));

        AssertOneLineFailure(exit, 78, "PublicBaseUrl");
    }

    [Fact]
    public async Task Start_ProductionWithoutTrustedClients_ExitsWithConfigurationErrorNamingTheSetting()
    {
        var settings = Sqlite("Production");
        settings["PublicBaseUrl"] = "https://payer.example.org";

        var exit = await ServerProcess.RunUntilExitAsync(settings);

        AssertOneLineFailure(exit, 78, "TrustedClients");
    }

    [Fact]
    public async Task Start_OtlpEndpointNotAUrl_ExitsWithConfigurationErrorNamingTheSetting()
    {
        var settings = Sqlite("Development");
        settings["OpenTelemetry__OtlpEndpoint"] = "otel-collector:4317";

        var exit = await ServerProcess.RunUntilExitAsync(settings);

        AssertOneLineFailure(exit, 78, "OpenTelemetry:OtlpEndpoint", "otel-collector:4317");
    }

    private static void AssertOneLineFailure(ServerProcess.Exit exit, int expectedCode, params string[] mentions)
    {
        var lines = exit.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(expectedCode == exit.Code, $"exit code {exit.Code}, expected {expectedCode}; stderr: {exit.StandardError}");
        var line = Assert.Single(lines);
        Assert.StartsWith("SpinePolicy cannot start:", line, StringComparison.Ordinal);
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, line, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("retry later", line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", exit.StandardError + exit.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", exit.StandardError + exit.StandardOutput, StringComparison.Ordinal);
    }
}
