using Microsoft.Data.Sqlite;

namespace SpinePolicy.Storage.Sqlite;

/// <summary>
/// A command whose compiled statements outlive the caller's <c>using</c>: disposing it hands it back
/// to its connection's <see cref="SqliteStatementCache"/> with the caller's values and transaction
/// cleared, and only <see cref="Release"/> finalizes the statements. SQLite spends more time
/// compiling our short statements (parser, planner) than running them.
/// </summary>
internal sealed class ReusableSqliteCommand(string sql, SqliteConnection connection) : SqliteCommand(sql, connection)
{
    private bool _leased;
    private bool _released;

    /// <summary>False while another caller on the same connection still holds it (a nested use of the same SQL).</summary>
    public bool TryLease()
    {
        if (_leased)
        {
            return false;
        }

        _leased = true;
        return true;
    }

    /// <summary>Finalizes the compiled statements; the command is not reused after this.</summary>
    public void Release()
    {
        _released = true;
        Dispose();
    }

    protected override void Dispose(bool disposing)
    {
        if (_released || !disposing)
        {
            base.Dispose(disposing);
            return;
        }

        Parameters.Clear();
        Transaction = null;
        _leased = false;
    }
}
