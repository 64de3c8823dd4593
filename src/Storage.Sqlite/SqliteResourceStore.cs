using System.Globalization;
using Microsoft.Data.Sqlite;
using SpinePolicy.Storage.Indexing;

namespace SpinePolicy.Storage.Sqlite;

/// <summary>
/// Versioned resources in SQLite. Every version is kept in resource_version; resource_current points
/// at the latest one and carries the search columns. Times are Unix milliseconds.
/// </summary>
public sealed class SqliteResourceStore(SqliteDatabase database, TimeProvider clock) : IResourceStore
{
    private const string SelectVersion = "SELECT v.resource_type, v.id, v.version_id, v.last_updated, v.json, v.deleted FROM resource_version v";

    public Task<IReadOnlyList<StoredResource>> SaveAsync(IReadOnlyList<ResourceWrite> writes, CancellationToken cancellationToken)
    {
        if (writes.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<StoredResource>>([]);
        }

        return database.WriteAsync<IReadOnlyList<StoredResource>>(
            async (connection, transaction) =>
            {
                // One instant for the whole batch: it was committed as one.
                var lastUpdated = ResourceStamp.Truncate(clock.GetUtcNow());
                var saved = new List<StoredResource>(writes.Count);
                foreach (var write in writes)
                {
                    saved.Add(await SaveOneAsync(connection, transaction, write, lastUpdated, cancellationToken));
                }

                return saved;
            },
            cancellationToken);
    }

    public Task<StoredResource?> ReadAsync(string resourceType, string id, CancellationToken cancellationToken) =>
        database.ReadAsync(
            connection => SingleAsync(
                connection,
                SelectVersion + " JOIN resource_current c ON c.resource_type = v.resource_type AND c.id = v.id AND c.version_id = v.version_id WHERE c.resource_type = @type AND c.id = @id;",
                [new("@type", resourceType), new("@id", id)],
                cancellationToken),
            cancellationToken);

    public Task<StoredResource?> ReadVersionAsync(string resourceType, string id, int versionId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            connection => SingleAsync(
                connection,
                SelectVersion + " WHERE v.resource_type = @type AND v.id = @id AND v.version_id = @version;",
                [new("@type", resourceType), new("@id", id), new("@version", versionId)],
                cancellationToken),
            cancellationToken);

    public Task<StoredResource?> FindByUniqueKeyAsync(string resourceType, string uniqueKey, CancellationToken cancellationToken) =>
        database.ReadAsync(
            connection => SingleAsync(
                connection,
                SelectVersion + " JOIN resource_current c ON c.resource_type = v.resource_type AND c.id = v.id AND c.version_id = v.version_id WHERE c.resource_type = @type AND c.unique_key = @key;",
                [new("@type", resourceType), new("@key", uniqueKey)],
                cancellationToken),
            cancellationToken);

    public Task<SearchPage> SearchAsync(ResourceSearch search, CancellationToken cancellationToken)
    {
        var sql = SearchSql.Build(search, instant => instant.ToUnixTimeMilliseconds());
        var pageSize = SearchSql.PageSize(search);
        return database.ReadAsync(
            async connection =>
            {
                int? total = null;
                if (search.IncludeTotal)
                {
                    await using var count = Command(connection, $"SELECT COUNT(*) FROM resource_current c WHERE {sql.Filters};", sql.Parameters);
                    total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
                }

                if (pageSize == 0)
                {
                    return new SearchPage([], null, total);
                }

                // One row more than the page tells whether a next page exists.
                await using var page = Command(
                    connection,
                    SelectVersion + $" JOIN resource_current c ON c.resource_type = v.resource_type AND c.id = v.id AND c.version_id = v.version_id WHERE {sql.PageFilters} ORDER BY {sql.OrderBy} LIMIT @limit;",
                    [.. sql.Parameters, new("@limit", pageSize + 1)]);
                var rows = await ReadAllAsync(page, cancellationToken);
                string? next = null;
                if (rows.Count > pageSize)
                {
                    rows.RemoveAt(rows.Count - 1);
                    next = new PageToken(rows[^1].LastUpdated, rows[^1].Id).Encode();
                }

                return new SearchPage(rows, next, total);
            },
            cancellationToken);
    }

    private static async Task<StoredResource> SaveOneAsync(SqliteConnection connection, SqliteTransaction transaction, ResourceWrite write, DateTimeOffset lastUpdated, CancellationToken cancellationToken)
    {
        var resource = write.Resource;
        var type = resource.TypeName;

        // A resource without an id is a create under an id made here: nothing can hold it yet, so
        // the look-up of a current version and the clearing of old identifiers are skipped (audit
        // records, written for every request, all take this path).
        var isNew = string.IsNullOrEmpty(resource.Id);
        var id = isNew ? ResourceStamp.NewId() : resource.Id!;

        int? currentVersion = null;
        string? currentKey = null;
        if (!isNew)
        {
            await using var current = Command(connection, "SELECT version_id, unique_key FROM resource_current WHERE resource_type = @type AND id = @id;", [new("@type", type), new("@id", id)], transaction);
            await using var reader = await current.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                currentVersion = reader.GetInt32(0);
                currentKey = reader.IsDBNull(1) ? null : reader.GetString(1);
            }
        }

        if (write.IfMatchVersion is { } expected && expected != currentVersion)
        {
            throw new VersionConflictException($"{type}/{id} is at version {currentVersion?.ToString(CultureInfo.InvariantCulture) ?? "none"}, not {expected}.");
        }

        // An update without a key keeps the key the resource already holds.
        var uniqueKey = write.UniqueKey ?? currentKey;
        if (uniqueKey is not null)
        {
            await using var holder = Command(connection, "SELECT id FROM resource_current WHERE resource_type = @type AND unique_key = @key AND id <> @id;", [new("@type", type), new("@key", uniqueKey), new("@id", id)], transaction);
            if (await holder.ExecuteScalarAsync(cancellationToken) is string other)
            {
                throw new DuplicateKeyException($"{type}/{other} already holds this key.");
            }
        }

        var version = (currentVersion ?? 0) + 1;
        var json = ResourceStamp.ToStoredJson(resource, id, version, lastUpdated);
        var columns = SearchColumnExtractor.Extract(resource);
        var updated = lastUpdated.ToUnixTimeMilliseconds();

        await using (var insert = Command(
            connection,
            "INSERT INTO resource_version (resource_type, id, version_id, last_updated, deleted, json) VALUES (@type, @id, @version, @updated, 0, @json);",
            [new("@type", type), new("@id", id), new("@version", version), new("@updated", updated), new("@json", json)],
            transaction))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var pointer = Command(
            connection,
            """
            INSERT INTO resource_current (resource_type, id, version_id, last_updated, patient_id, status, created, unique_key)
            VALUES (@type, @id, @version, @updated, @patient, @status, @created, @key)
            ON CONFLICT (resource_type, id) DO UPDATE SET
                version_id = excluded.version_id, last_updated = excluded.last_updated, patient_id = excluded.patient_id,
                status = excluded.status, created = excluded.created, unique_key = excluded.unique_key;
            """,
            [
                new("@type", type), new("@id", id), new("@version", version), new("@updated", updated),
                new("@patient", columns.PatientId), new("@status", columns.Status),
                new("@created", columns.Created?.ToUnixTimeMilliseconds()), new("@key", uniqueKey),
            ],
            transaction))
        {
            await pointer.ExecuteNonQueryAsync(cancellationToken);
        }

        if (!isNew)
        {
            await using var clear = Command(connection, "DELETE FROM resource_identifier WHERE resource_type = @type AND id = @id;", [new("@type", type), new("@id", id)], transaction);
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var identifier in columns.Identifiers)
        {
            await using var add = Command(
                connection,
                "INSERT INTO resource_identifier (resource_type, id, system, value) VALUES (@type, @id, @system, @value);",
                [new("@type", type), new("@id", id), new("@system", identifier.System), new("@value", identifier.Value)],
                transaction);
            await add.ExecuteNonQueryAsync(cancellationToken);
        }

        return new StoredResource(type, id, version, lastUpdated, json);
    }

    private static async Task<StoredResource?> SingleAsync(SqliteConnection connection, string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql, parameters);
        var rows = await ReadAllAsync(command, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    private static async Task<List<StoredResource>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<StoredResource>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new StoredResource(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt32(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                reader.GetString(4),
                reader.GetInt64(5) != 0));
        }

        return rows;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, SqliteTransaction? transaction = null) =>
        SqliteCommands.Create(connection, sql, parameters, transaction);
}
