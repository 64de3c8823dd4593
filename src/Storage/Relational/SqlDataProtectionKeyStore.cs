using SpinePolicy.Storage.Keys;

namespace SpinePolicy.Storage.Relational;

/// <summary>Data Protection key documents as rows of <c>data_protection_key</c>, one per key name.</summary>
internal sealed class SqlDataProtectionKeyStore(SqlDatabase database, TimeProvider clock) : IDataProtectionKeyStore
{
    public Task<IReadOnlyList<string>> ReadAllAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<string>>(
            async connection =>
            {
                await using var select = database.Dialect.Command(connection, "SELECT xml FROM data_protection_key ORDER BY stored_at, name;", []);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                var documents = new List<string>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    documents.Add(reader.GetString(0));
                }

                return documents;
            },
            cancellationToken);

    // Names are GUID-based and written once; ON CONFLICT only keeps a retried store harmless.
    public Task StoreAsync(string name, string xml, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var insert = database.Dialect.Command(
                    connection,
                    "INSERT INTO data_protection_key (name, xml, stored_at) VALUES (@name, @xml, @at) ON CONFLICT (name) DO NOTHING;",
                    [new("@name", name), new("@xml", xml), new("@at", clock.GetUtcNow())],
                    transaction);
                return await insert.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);

    // PostgreSQL reads the emptiness under the migration lock (transaction-scoped), so a second
    // instance's statement runs only after the first one's insert committed; a SQLite statement
    // runs under the file's write lock anyway.
    public Task<bool> StoreFirstAsync(string name, string xml, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                if (database.Dialect.MigrationLock is { } takeLock)
                {
                    await using var lockCommand = database.Dialect.Command(connection, takeLock, [], transaction);
                    await lockCommand.ExecuteNonQueryAsync(cancellationToken);
                }

                await using var insert = database.Dialect.Command(
                    connection,
                    "INSERT INTO data_protection_key (name, xml, stored_at) SELECT @name, @xml, @at WHERE NOT EXISTS (SELECT 1 FROM data_protection_key);",
                    [new("@name", name), new("@xml", xml), new("@at", clock.GetUtcNow())],
                    transaction);
                return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
            },
            cancellationToken);
}
