using Microsoft.Data.Sqlite;

namespace SpinePolicy.Storage.Sqlite;

/// <summary>
/// A connection this process keeps open (a reader of the pool, or the group-commit writer) with the
/// statements it has compiled. Opening a connection costs a file open, three pragmas and a cold page
/// cache; compiling costs more than running our statements. Both are paid once per connection.
/// </summary>
internal sealed class SqliteSession(string connectionString) : SqliteConnection(connectionString)
{
    private SqliteStatementCache? _statements;

    public SqliteStatementCache Statements => _statements ??= new SqliteStatementCache(this);

    /// <summary>
    /// Whether it can serve the next caller: open, and not left inside a transaction (a caller that
    /// failed half-way may have left one open; such a connection is closed, not reused).
    /// </summary>
    public bool IsReusable => State == System.Data.ConnectionState.Open && SQLitePCL.raw.sqlite3_get_autocommit(Handle) != 0;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _statements?.Dispose();
            _statements = null;
        }

        base.Dispose(disposing);
    }
}
