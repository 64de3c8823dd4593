using System.Data.Common;

namespace SpinePolicy.Storage.Relational;

/// <summary>
/// Where SQLite and PostgreSQL differ, and nothing more: how an instant and a JSON document are
/// stored, the column types a migration names, the row lock a read-before-update takes, and the
/// lock that serializes migrations. Every store of <see cref="Relational"/> writes its SQL once and
/// lets the dialect fill in these few places.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>The product name, for logs and messages ("SQLite", "PostgreSQL").</summary>
    public abstract string Name { get; }

    /// <summary>Appended to a SELECT of rows the transaction is about to change ("" where the transaction already excludes other writers).</summary>
    public abstract string LockRows { get; }

    /// <summary>
    /// Appended to a SELECT of queue rows to claim: rows another transaction is claiming are passed
    /// over instead of waited for ("" where the write transaction already excludes every other writer).
    /// </summary>
    public abstract string SkipLockedRows { get; }

    /// <summary>A statement taking the migration lock inside the migration's transaction; null when that transaction is exclusive anyway.</summary>
    public abstract string? MigrationLock { get; }

    /// <summary>Column type of an instant (migrations write <c>{instant}</c>).</summary>
    protected abstract string InstantType { get; }

    /// <summary>Column type of a JSON document (<c>{json}</c>).</summary>
    protected abstract string JsonType { get; }

    /// <summary>Column type of a flag (<c>{boolean}</c>), and its false and true literals (<c>{false}</c>, <c>{true}</c>).</summary>
    protected abstract string BooleanType { get; }

    protected abstract string FalseLiteral { get; }

    protected abstract string TrueLiteral { get; }

    /// <summary>Table options after a table whose primary key is its clustering key (<c>{clustered}</c>).</summary>
    protected abstract string ClusteredTable { get; }

    /// <summary>A migration's SQL with the dialect's types in place of the placeholders.</summary>
    public string Render(string sql) => sql
        .Replace("{instant}", InstantType, StringComparison.Ordinal)
        .Replace("{json}", JsonType, StringComparison.Ordinal)
        .Replace("{boolean}", BooleanType, StringComparison.Ordinal)
        .Replace("{false}", FalseLiteral, StringComparison.Ordinal)
        .Replace("{true}", TrueLiteral, StringComparison.Ordinal)
        .Replace("{clustered}", ClusteredTable, StringComparison.Ordinal);

    /// <summary>Gives a parameter its value: an instant or <see cref="JsonText"/> as the dialect stores it, null as NULL.</summary>
    public abstract void Bind(DbParameter parameter, object? value);

    public abstract DateTimeOffset ReadInstant(DbDataReader reader, int ordinal);

    /// <summary>A parameterized command: values only ever travel as parameters.</summary>
    public DbCommand Command(DbConnection connection, string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, DbTransaction? transaction = null)
    {
        var command = NewCommand(connection, sql);
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            Bind(parameter, value);
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>
    /// A command for the SQL, without values. A provider may hand out one it compiled before on this
    /// connection (SQLite does; Npgsql prepares by SQL text on its own).
    /// </summary>
    protected virtual DbCommand NewCommand(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
