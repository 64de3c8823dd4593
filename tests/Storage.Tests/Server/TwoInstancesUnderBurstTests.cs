using System.Net;
using Npgsql;
using SpinePolicy.Storage.Postgres;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Postgres;

namespace SpinePolicy.Storage.Tests.Server;

/// <summary>
/// Connections are the resource instances share. With the database allowing just enough for two
/// pools (instances × Maximum Pool Size &lt; the limit, the README's rule), a burst on one instance
/// waits for its own pool and never starves the other, which keeps answering.
/// </summary>
public sealed class TwoInstancesUnderBurstTests
{
    private const int Burst = 300;

    [Fact]
    public async Task BurstOnOneInstance_OtherInstanceKeepsAnswering_NoneRefused()
    {
        var connectionString = await LimitConnectionsAsync(await PostgresCluster.CreateSharedDatabaseAsync(), 2 * PostgresPoolDefaults.MaxPoolSize + 2);
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:Postgres:ConnectionString"] = connectionString,
        };
        await using var busy = new SpinePolicyApp(settings);
        await using var quiet = new SpinePolicyApp(settings);
        using var busyClient = busy.CreateBackOfficeClient("system/*.*");
        using var quietClient = quiet.CreateBackOfficeClient("system/*.*");
        using (var warm = await quietClient.GetAsync(new Uri("/fhir/Patient?_count=1", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var burst = Task.WhenAll(Enumerable.Range(0, Burst).Select(async _ =>
        {
            using var response = await busyClient.GetAsync(new Uri("/fhir/Patient?_count=10", UriKind.Relative));
            return response.StatusCode;
        }));
        // The quiet instance's own traffic, ten at a time, needs connections beyond the one it kept.
        var duringBurst = new List<HttpStatusCode>();
        while (!burst.IsCompleted)
        {
            duringBurst.AddRange(await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
            {
                using var response = await quietClient.GetAsync(new Uri("/fhir/Patient?_count=10", UriKind.Relative));
                return response.StatusCode;
            })));
        }

        var burstStatuses = await burst;
        Assert.All(burstStatuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.NotEmpty(duringBurst);
        Assert.All(duringBurst, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    /// <summary>
    /// Moves the database to a role of its own whose connection limit stands in for max_connections
    /// (the cluster is shared with other tests; superusers ignore such limits); returns the
    /// connection string for that role.
    /// </summary>
    private static async Task<string> LimitConnectionsAsync(string connectionString, int limit)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var role = "limited_" + Guid.NewGuid().ToString("N");
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();

        // The names are the test's own (GUIDs), never input; DDL takes no parameters.
        await using var create = new NpgsqlCommand(
            $"CREATE ROLE \"{role}\" LOGIN CONNECTION LIMIT {limit}; ALTER DATABASE \"{target.Database}\" OWNER TO \"{role}\";",
            connection);
        await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(connectionString) { Username = role }.ConnectionString;
    }
}
