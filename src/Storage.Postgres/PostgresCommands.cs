using Npgsql;
using NpgsqlTypes;

namespace SpinePolicy.Storage.Postgres;

/// <summary>Builds parameterized commands: values only ever travel as parameters.</summary>
internal static class PostgresCommands
{
    public static NpgsqlCommand Create(NpgsqlConnection connection, string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, NpgsqlTransaction? transaction = null)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(value switch
            {
                Jsonb json => new NpgsqlParameter(name, NpgsqlDbType.Jsonb) { Value = json.Text },
                null => new NpgsqlParameter(name, DBNull.Value),
                _ => new NpgsqlParameter(name, value),
            });
        }

        return command;
    }

    /// <summary>Marks a string parameter as jsonb.</summary>
    public sealed record Jsonb(string Text);
}
