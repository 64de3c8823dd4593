using System.Data.Common;
using Npgsql;

namespace SpinePolicy.Storage.Postgres;

/// <summary>
/// Pool settings for several instances sharing one database. Npgsql's own defaults (up to 100
/// connections, idle ones kept five minutes) let one busy instance take every connection PostgreSQL
/// allows (max_connections is 100 by default), and the other instances then answer 503 until the
/// idle connections are released. Here each instance takes at most <see cref="MaxPoolSize"/> and
/// lets idle ones go after <see cref="IdleLifetimeSeconds"/>; a connection string that sets either
/// keeps its own value. The rule to keep: instances × Maximum Pool Size &lt; max_connections
/// (minus what administrators and other clients need), or a pooler in front (README).
/// <para>
/// Statements are prepared automatically (<see cref="MaxAutoPrepare"/> per connection, from a
/// statement's <see cref="AutoPrepareMinUsages"/>th use): parsing and planning our short statements
/// was most of PostgreSQL's own CPU per request. A connection string that sets Max Auto Prepare
/// (0 switches it off, as a transaction-mode pooler requires) keeps its value.
/// </para>
/// </summary>
internal static class PostgresPoolDefaults
{
    public const int MaxPoolSize = 20;

    public const int IdleLifetimeSeconds = 30;

    public const int MaxAutoPrepare = 64;

    public const int AutoPrepareMinUsages = 2;

    public static string Apply(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Names(given, "maximumpoolsize", "maxpoolsize"))
        {
            settings.MaxPoolSize = MaxPoolSize;
        }

        if (!Names(given, "connectionidlelifetime"))
        {
            settings.ConnectionIdleLifetime = IdleLifetimeSeconds;
        }

        if (!Names(given, "maxautoprepare"))
        {
            settings.MaxAutoPrepare = MaxAutoPrepare;
            if (!Names(given, "autoprepareminusages"))
            {
                settings.AutoPrepareMinUsages = AutoPrepareMinUsages;
            }
        }

        return settings.ConnectionString;
    }

    /// <summary>Whether the connection string names the setting (Npgsql's keywords ignore case and spaces).</summary>
    private static bool Names(DbConnectionStringBuilder given, params string[] keywords) =>
        given.Keys.Cast<string>().Any(key => keywords.Contains(key.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant()));
}
