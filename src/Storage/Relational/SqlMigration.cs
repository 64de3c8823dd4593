namespace SpinePolicy.Storage.Relational;

/// <summary>
/// One numbered schema step (<see cref="SqlMigrations"/>), for every provider or, when
/// <paramref name="OnlyFor"/> names one (<see cref="SqlDialect.Name"/>), for that provider alone.
/// </summary>
internal sealed record SqlMigration(int Version, string Sql, string? OnlyFor = null)
{
    public bool AppliesTo(SqlDialect dialect) => OnlyFor is null || string.Equals(OnlyFor, dialect.Name, StringComparison.Ordinal);
}
