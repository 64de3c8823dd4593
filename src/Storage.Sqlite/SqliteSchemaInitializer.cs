using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace SpinePolicy.Storage.Sqlite;

/// <summary>Creates the folder and file, switches to WAL, and applies the migrations not yet applied.</summary>
public sealed partial class SqliteSchemaInitializer(SqliteDatabase database, ILogger<SqliteSchemaInitializer> logger) : IStorageInitializer
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var folder = Path.GetDirectoryName(database.FilePath);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"Cannot create the folder for the SQLite database at {database.FilePath}.", ex);
        }

        await database.ReadAsync(
            async connection =>
            {
                // WAL lets readers continue while one writer commits; the mode is stored in the file.
                await using var wal = connection.CreateCommand();
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                await wal.ExecuteNonQueryAsync(cancellationToken);
                return true;
            },
            cancellationToken);

        var applied = await database.WriteAsync(
            async (connection, transaction) =>
            {
                await Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);", cancellationToken);
                await using var current = connection.CreateCommand();
                current.Transaction = transaction;
                current.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version;";
                var version = Convert.ToInt32(await current.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);

                var count = 0;
                foreach (var (number, sql) in SqliteMigrations.All.Where(step => step.Version > version))
                {
                    await Execute(connection, transaction, sql, cancellationToken);
                    await using var record = connection.CreateCommand();
                    record.Transaction = transaction;
                    record.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES (@version, @at);";
                    record.Parameters.AddWithValue("@version", number);
                    record.Parameters.AddWithValue("@at", DateTimeOffset.UtcNow.ToString("O"));
                    await record.ExecuteNonQueryAsync(cancellationToken);
                    count++;
                }

                return count;
            },
            cancellationToken);

        LogSchemaReady(SqliteMigrations.All[^1].Version, applied);
    }

    private static async Task Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "SQLite schema at version {Version} ({Applied} migrations applied now)")]
    private partial void LogSchemaReady(int version, int applied);
}
