using System.Data.Common;

namespace SpinePolicy.Storage.Relational;

/// <summary>
/// Statements that run together in one transaction: sent in one round trip where the driver
/// batches (Npgsql), one after another where it does not (SQLite, in process: no round trip to save).
/// </summary>
internal sealed class SqlBatch(SqlDialect dialect)
{
    private readonly List<(string Sql, KeyValuePair<string, object?>[] Parameters)> _statements = [];

    public int Count => _statements.Count;

    public void Add(string sql, params KeyValuePair<string, object?>[] parameters) => _statements.Add((sql, parameters));

    public async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (_statements.Count == 0)
        {
            return;
        }

        if (!connection.CanCreateBatch)
        {
            foreach (var (sql, parameters) in _statements)
            {
                await using var command = dialect.Command(connection, sql, parameters, transaction);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return;
        }

        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var (sql, parameters) in _statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                dialect.Bind(parameter, value);
                command.Parameters.Add(parameter);
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
