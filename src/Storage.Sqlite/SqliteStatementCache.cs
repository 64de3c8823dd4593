using Microsoft.Data.Sqlite;

namespace SpinePolicy.Storage.Sqlite;

/// <summary>
/// The statements one long-lived connection has compiled, by SQL text. A connection serves one
/// caller at a time (the read pool and the group-commit writer see to it), so no locking here.
/// Search SQL varies with the parameters given; past <see cref="MaxStatements"/> a new text is
/// compiled for its one use, as before, rather than evicting the hot ones.
/// </summary>
internal sealed class SqliteStatementCache(SqliteConnection connection) : IDisposable
{
    public const int MaxStatements = 128;

    private readonly Dictionary<string, ReusableSqliteCommand> _statements = new(StringComparer.Ordinal);

    public SqliteCommand Command(string sql)
    {
        if (_statements.TryGetValue(sql, out var cached))
        {
            if (cached.TryLease())
            {
                return cached;
            }
        }
        else if (_statements.Count < MaxStatements)
        {
            var reusable = new ReusableSqliteCommand(sql, connection);
            _statements.Add(sql, reusable);
            reusable.TryLease();
            return reusable;
        }

        var oneOff = connection.CreateCommand();
        oneOff.CommandText = sql;
        return oneOff;
    }

    public void Dispose()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Release();
        }

        _statements.Clear();
    }
}
