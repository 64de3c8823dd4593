using Npgsql;
using SpinePolicy.Storage.Postgres;

namespace SpinePolicy.Storage.Tests.Postgres;

/// <summary>Each instance's pool stays small and lets idle connections go, unless the operator says otherwise.</summary>
public sealed class PostgresPoolDefaultsTests
{
    [Fact]
    public void Apply_ConnectionStringWithoutPoolSettings_CapsPoolAndReleasesIdleConnectionsSooner()
    {
        var applied = new NpgsqlConnectionStringBuilder(PostgresPoolDefaults.Apply("Host=db;Database=spinepolicy;Username=app"));

        Assert.Equal(PostgresPoolDefaults.MaxPoolSize, applied.MaxPoolSize);
        Assert.Equal(PostgresPoolDefaults.IdleLifetimeSeconds, applied.ConnectionIdleLifetime);
        Assert.True(applied.MaxPoolSize < new NpgsqlConnectionStringBuilder().MaxPoolSize);
        Assert.Equal(PostgresPoolDefaults.MaxAutoPrepare, applied.MaxAutoPrepare);
        Assert.Equal(PostgresPoolDefaults.AutoPrepareMinUsages, applied.AutoPrepareMinUsages);
        Assert.Equal("db", applied.Host);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0")]
    [InlineData("Host=db;maxautoprepare=0")]
    public void Apply_ConnectionStringSwitchingAutoPrepareOff_KeepsItOff(string connectionString)
    {
        var applied = new NpgsqlConnectionStringBuilder(PostgresPoolDefaults.Apply(connectionString));

        Assert.Equal(0, applied.MaxAutoPrepare);
    }

    [Theory]
    [InlineData("Host=db;Maximum Pool Size=50;Connection Idle Lifetime=120")]
    [InlineData("Host=db;MaxPoolSize=50;ConnectionIdleLifetime=120")]
    [InlineData("Host=db;maximum pool size=50;connection idle lifetime=120")]
    public void Apply_ConnectionStringWithOwnPoolSettings_KeepsThem(string connectionString)
    {
        var applied = new NpgsqlConnectionStringBuilder(PostgresPoolDefaults.Apply(connectionString));

        Assert.Equal(50, applied.MaxPoolSize);
        Assert.Equal(120, applied.ConnectionIdleLifetime);
    }
}
