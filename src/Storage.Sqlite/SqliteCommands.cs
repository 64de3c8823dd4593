using Microsoft.Data.Sqlite;

namespace SpinePolicy.Storage.Sqlite;

/// <summary>Builds parameterized commands: values only ever travel as parameters.</summary>
internal static class SqliteCommands
{
    public static SqliteCommand Create(SqliteConnection connection, string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
