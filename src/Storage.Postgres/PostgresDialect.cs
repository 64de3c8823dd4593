using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using SpinePolicy.Storage.Relational;

namespace SpinePolicy.Storage.Postgres;

/// <summary>
/// PostgreSQL: instants as timestamptz, JSON as jsonb, flags as boolean. A read-before-update
/// locks its row (FOR UPDATE) so that a second writer of the same resource waits and then sees the
/// new version; migrations take a transaction-scoped advisory lock.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    /// <summary>An arbitrary constant naming "the SpinePolicy schema" among advisory locks.</summary>
    private const long MigrationLockKey = 0x5350_494E_4550_4F4C;

    public static PostgresDialect Instance { get; } = new();

    public override string Name => "PostgreSQL";

    public override string LockRows => " FOR UPDATE";

    public override string SkipLockedRows => " FOR UPDATE SKIP LOCKED";

    public override string? MigrationLock { get; } = FormattableString.Invariant($"SELECT pg_advisory_xact_lock({MigrationLockKey});");

    protected override string InstantType => "timestamptz";

    protected override string JsonType => "jsonb";

    protected override string BooleanType => "boolean";

    protected override string FalseLiteral => "false";

    protected override string TrueLiteral => "true";

    protected override string ClusteredTable => string.Empty;

    public override void Bind(DbParameter parameter, object? value)
    {
        var npgsql = (NpgsqlParameter)parameter;
        switch (value)
        {
            case null:
                npgsql.Value = DBNull.Value;
                break;
            case DateTimeOffset instant:
                npgsql.NpgsqlDbType = NpgsqlDbType.TimestampTz;
                npgsql.Value = instant.ToUniversalTime();
                break;
            case JsonText json:
                npgsql.NpgsqlDbType = NpgsqlDbType.Jsonb;
                npgsql.Value = json.Text;
                break;
            default:
                npgsql.Value = value;
                break;
        }
    }

    public override DateTimeOffset ReadInstant(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);
}
