using System.Data.Common;
using SpinePolicy.Storage.Relational;

namespace SpinePolicy.Storage.Sqlite;

/// <summary>
/// SQLite: instants as Unix milliseconds (INTEGER, so they compare and index as numbers), JSON as
/// TEXT, flags as 0/1, tables keyed by their primary key (WITHOUT ROWID). No row locks and no
/// migration lock: a write transaction (BEGIN IMMEDIATE) already excludes every other writer.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    public static SqliteDialect Instance { get; } = new();

    public override string Name => "SQLite";

    public override string LockRows => string.Empty;

    public override string SkipLockedRows => string.Empty;

    public override string? MigrationLock => null;

    protected override string InstantType => "INTEGER";

    protected override string JsonType => "TEXT";

    protected override string BooleanType => "INTEGER";

    protected override string FalseLiteral => "0";

    protected override string TrueLiteral => "1";

    protected override string ClusteredTable => " WITHOUT ROWID";

    public override void Bind(DbParameter parameter, object? value) => parameter.Value = value switch
    {
        null => DBNull.Value,
        DateTimeOffset instant => instant.ToUnixTimeMilliseconds(),
        JsonText json => json.Text,
        _ => value,
    };

    /// <summary>On a connection of this process's own (<see cref="SqliteSession"/>), the statement it compiled before.</summary>
    protected override DbCommand NewCommand(DbConnection connection, string sql) =>
        connection is SqliteSession session ? session.Statements.Command(sql) : base.NewCommand(connection, sql);

    public override DateTimeOffset ReadInstant(DbDataReader reader, int ordinal) =>
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
