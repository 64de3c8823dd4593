namespace SpinePolicy.Storage.Postgres;

/// <summary>"Storage:Postgres" settings.</summary>
public sealed class PostgresStorageOptions
{
    /// <summary>An Npgsql connection string; pooling is on unless it says otherwise.</summary>
    public required string ConnectionString { get; init; }
}
