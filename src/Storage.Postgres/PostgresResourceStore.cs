using System.Globalization;
using Npgsql;
using SpinePolicy.Storage.Indexing;

namespace SpinePolicy.Storage.Postgres;

/// <summary>
/// Versioned resources in PostgreSQL (jsonb). Every version is kept in resource_version;
/// resource_current points at the latest one and carries the search columns. Concurrent writers
/// are ordered by row locks on resource_current and by the unique indexes.
/// </summary>
public sealed class PostgresResourceStore(PostgresDatabase database, TimeProvider clock) : IResourceStore
{
    private const string SelectVersion = "SELECT v.resource_type, v.id, v.version_id, v.last_updated, v.json::text, v.deleted FROM resource_version v";
    private const string JoinCurrent = " JOIN resource_current c ON c.resource_type = v.resource_type AND c.id = v.id AND c.version_id = v.version_id";

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
            connection => SingleAsync(connection, SelectVersion + JoinCurrent + " WHERE c.resource_type = @type AND c.id = @id;", [new("@type", resourceType), new("@id", id)], cancellationToken),
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
            connection => SingleAsync(connection, SelectVersion + JoinCurrent + " WHERE c.resource_type = @type AND c.unique_key = @key;", [new("@type", resourceType), new("@key", uniqueKey)], cancellationToken),
            cancellationToken);

    public Task<SearchPage> SearchAsync(ResourceSearch search, CancellationToken cancellationToken)
    {
        var sql = SearchSql.Build(search, instant => instant.ToUniversalTime());
        var pageSize = SearchSql.PageSize(search);
        return database.ReadAsync(
            async connection =>
            {
                int? total = null;
                if (search.IncludeTotal)
                {
                    await using var count = PostgresCommands.Create(connection, $"SELECT COUNT(*) FROM resource_current c WHERE {sql.Filters};", sql.Parameters);
                    total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
                }

                if (pageSize == 0)
                {
                    return new SearchPage([], null, total);
                }

                // One row more than the page tells whether a next page exists.
                await using var page = PostgresCommands.Create(
                    connection,
                    SelectVersion + JoinCurrent + $" WHERE {sql.PageFilters} ORDER BY {sql.OrderBy} LIMIT @limit;",
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

    private static async Task<StoredResource> SaveOneAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ResourceWrite write, DateTimeOffset lastUpdated, CancellationToken cancellationToken)
    {
        var resource = write.Resource;
        var type = resource.TypeName;

        // A resource without an id is a create under an id made here: nothing can hold it yet, so
        // there is no current version to lock and no old identifiers to clear.
        var isNew = string.IsNullOrEmpty(resource.Id);
        var id = isNew ? ResourceStamp.NewId() : resource.Id!;

        // FOR UPDATE: a second writer of the same resource waits here and then sees the new version.
        int? currentVersion = null;
        string? currentKey = null;
        if (!isNew)
        {
            await using var current = PostgresCommands.Create(connection, "SELECT version_id, unique_key FROM resource_current WHERE resource_type = @type AND id = @id FOR UPDATE;", [new("@type", type), new("@id", id)], transaction);
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

        // An update without a key keeps the key the resource already holds. The unique index is the
        // real guard when two writers race; this check only gives the common case a clear message.
        var uniqueKey = write.UniqueKey ?? currentKey;
        if (uniqueKey is not null)
        {
            await using var holder = PostgresCommands.Create(connection, "SELECT id FROM resource_current WHERE resource_type = @type AND unique_key = @key AND id <> @id;", [new("@type", type), new("@key", uniqueKey), new("@id", id)], transaction);
            if (await holder.ExecuteScalarAsync(cancellationToken) is string other)
            {
                throw new DuplicateKeyException($"{type}/{other} already holds this key.");
            }
        }

        var version = (currentVersion ?? 0) + 1;
        var json = ResourceStamp.ToStoredJson(resource, id, version, lastUpdated);
        var columns = SearchColumnExtractor.Extract(resource);

        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Command(
            "INSERT INTO resource_version (resource_type, id, version_id, last_updated, deleted, json) VALUES ($1, $2, $3, $4, false, $5);",
            type, id, version, lastUpdated, new PostgresCommands.Jsonb(json)));
        batch.BatchCommands.Add(Command(
            """
            INSERT INTO resource_current (resource_type, id, version_id, last_updated, patient_id, status, created, unique_key)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (resource_type, id) DO UPDATE SET
                version_id = EXCLUDED.version_id, last_updated = EXCLUDED.last_updated, patient_id = EXCLUDED.patient_id,
                status = EXCLUDED.status, created = EXCLUDED.created, unique_key = EXCLUDED.unique_key;
            """,
            type, id, version, lastUpdated, columns.PatientId, columns.Status, columns.Created?.ToUniversalTime(), uniqueKey));
        if (!isNew)
        {
            batch.BatchCommands.Add(Command("DELETE FROM resource_identifier WHERE resource_type = $1 AND id = $2;", type, id));
        }

        foreach (var identifier in columns.Identifiers)
        {
            batch.BatchCommands.Add(Command("INSERT INTO resource_identifier (resource_type, id, system, value) VALUES ($1, $2, $3, $4);", type, id, identifier.System, identifier.Value));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        return new StoredResource(type, id, version, lastUpdated, json);
    }

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                PostgresCommands.Jsonb json => new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Jsonb, Value = json.Text },
                null => new NpgsqlParameter { Value = DBNull.Value },
                DateTimeOffset instant => new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz, Value = instant },
                _ => new NpgsqlParameter { Value = value },
            });
        }

        return command;
    }

    private static async Task<StoredResource?> SingleAsync(NpgsqlConnection connection, string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken)
    {
        await using var command = PostgresCommands.Create(connection, sql, parameters);
        var rows = await ReadAllAsync(command, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    private static async Task<List<StoredResource>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<StoredResource>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new StoredResource(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt32(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetString(4),
                reader.GetBoolean(5)));
        }

        return rows;
    }
}
