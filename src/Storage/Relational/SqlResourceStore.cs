using System.Data.Common;
using System.Globalization;
using SpinePolicy.Storage.Indexing;

namespace SpinePolicy.Storage.Relational;

/// <summary>
/// Versioned resources. Every version is kept in resource_version; resource_current points at the
/// latest one and carries the search columns; resource_identifier holds the identifiers for token
/// search. Concurrent writers of one resource are ordered by the dialect's row lock (PostgreSQL) or
/// by the exclusive write transaction (SQLite), and racing unique keys by the unique indexes.
/// </summary>
internal sealed class SqlResourceStore(SqlDatabase database, TimeProvider clock) : IResourceStore
{
    private const string SelectVersion = "SELECT v.resource_type, v.id, v.version_id, v.last_updated, v.json, v.deleted FROM resource_version v";
    private const string JoinCurrent = " JOIN resource_current c ON c.resource_type = v.resource_type AND c.id = v.id AND c.version_id = v.version_id";

    private SqlDialect Dialect => database.Dialect;

    public Task<IReadOnlyList<StoredResource>> SaveAsync(IReadOnlyList<ResourceWrite> writes, CancellationToken cancellationToken)
    {
        if (writes.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<StoredResource>>([]);
        }

        return database.WriteAsync<IReadOnlyList<StoredResource>>(
            (connection, transaction) => SaveInTransactionAsync(connection, transaction, writes, cancellationToken),
            cancellationToken);
    }

    /// <summary>The writes inside a transaction the caller holds, so that other rows commit with them or not at all.</summary>
    internal async Task<IReadOnlyList<StoredResource>> SaveInTransactionAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<ResourceWrite> writes, CancellationToken cancellationToken)
    {
        // One instant for the whole batch: it is committed as one.
        var lastUpdated = ResourceStamp.Truncate(clock.GetUtcNow());
        var saved = new List<StoredResource>(writes.Count);
        foreach (var write in writes)
        {
            saved.Add(await SaveOneAsync(connection, transaction, write, lastUpdated, cancellationToken));
        }

        return saved;
    }

    public Task<bool> DeleteAsync(string resourceType, string id, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                int version;
                string json;
                await using (var current = Dialect.Command(
                    connection,
                    $"SELECT c.version_id, v.json FROM resource_current c JOIN resource_version v ON v.resource_type = c.resource_type AND v.id = c.id AND v.version_id = c.version_id WHERE c.resource_type = @type AND c.id = @id{Dialect.LockRows};",
                    [new("@type", resourceType), new("@id", id)],
                    transaction))
                {
                    await using var reader = await current.ExecuteReaderAsync(cancellationToken);
                    if (!await reader.ReadAsync(cancellationToken))
                    {
                        return false;
                    }

                    version = reader.GetInt32(0);
                    json = reader.GetString(1);
                }

                // The tombstone keeps the last content, so the history still says what was deleted.
                var rows = new SqlBatch(Dialect);
                rows.Add(
                    "INSERT INTO resource_version (resource_type, id, version_id, last_updated, deleted, json) VALUES (@type, @id, @version, @updated, @deleted, @json);",
                    new("@type", resourceType), new("@id", id), new("@version", version + 1), new("@updated", ResourceStamp.Truncate(clock.GetUtcNow())),
                    new("@deleted", true), new("@json", new JsonText(json)));
                rows.Add("DELETE FROM resource_identifier WHERE resource_type = @type AND id = @id;", new("@type", resourceType), new("@id", id));
                rows.Add("DELETE FROM resource_current WHERE resource_type = @type AND id = @id;", new("@type", resourceType), new("@id", id));
                await rows.ExecuteAsync(connection, transaction, cancellationToken);
                return true;
            },
            cancellationToken);

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
        var sql = SearchSql.Build(search);
        var pageSize = SearchSql.PageSize(search);
        return database.ReadAsync(
            async connection =>
            {
                int? total = null;
                if (search.IncludeTotal)
                {
                    await using var count = Dialect.Command(connection, $"SELECT COUNT(*) FROM resource_current c WHERE {sql.Filters};", sql.Parameters);
                    total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
                }

                if (pageSize == 0)
                {
                    return new SearchPage([], null, total);
                }

                // One row more than the page tells whether a next page exists.
                await using var page = Dialect.Command(
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

    private async Task<StoredResource> SaveOneAsync(DbConnection connection, DbTransaction transaction, ResourceWrite write, DateTimeOffset lastUpdated, CancellationToken cancellationToken)
    {
        var resource = write.Resource;
        var type = resource.TypeName;

        // A resource without an id is a create under an id made here: nothing can hold it yet, so
        // there is no current version to look up (or lock) and no old identifiers to clear. Audit
        // records, written for every request, all take this path.
        var isNew = string.IsNullOrEmpty(resource.Id);
        var id = isNew ? ResourceStamp.NewId() : resource.Id!;

        // With the row lock, a second writer of the same resource waits here and then sees the new version.
        int? currentVersion = null;
        string? currentKey = null;
        if (!isNew)
        {
            await using var current = Dialect.Command(
                connection,
                $"SELECT version_id, unique_key FROM resource_current WHERE resource_type = @type AND id = @id{Dialect.LockRows};",
                [new("@type", type), new("@id", id)],
                transaction);
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
            await using var holder = Dialect.Command(
                connection,
                "SELECT id FROM resource_current WHERE resource_type = @type AND unique_key = @key AND id <> @id;",
                [new("@type", type), new("@key", uniqueKey), new("@id", id)],
                transaction);
            if (await holder.ExecuteScalarAsync(cancellationToken) is string other)
            {
                throw new DuplicateKeyException($"{type}/{other} already holds this key.");
            }
        }

        var version = (currentVersion ?? 0) + 1;
        var json = ResourceStamp.ToStoredJson(resource, id, version, lastUpdated);
        var columns = SearchColumnExtractor.Extract(resource);

        var rows = new SqlBatch(Dialect);
        rows.Add(
            "INSERT INTO resource_version (resource_type, id, version_id, last_updated, json) VALUES (@type, @id, @version, @updated, @json);",
            new("@type", type), new("@id", id), new("@version", version), new("@updated", lastUpdated), new("@json", new JsonText(json)));
        rows.Add(
            """
            INSERT INTO resource_current (resource_type, id, version_id, last_updated, patient_id, status, created, unique_key, outcome)
            VALUES (@type, @id, @version, @updated, @patient, @status, @created, @key, @outcome)
            ON CONFLICT (resource_type, id) DO UPDATE SET
                version_id = excluded.version_id, last_updated = excluded.last_updated, patient_id = excluded.patient_id,
                status = excluded.status, created = excluded.created, unique_key = excluded.unique_key, outcome = excluded.outcome;
            """,
            new("@type", type), new("@id", id), new("@version", version), new("@updated", lastUpdated),
            new("@patient", columns.PatientId), new("@status", columns.Status), new("@created", columns.Created), new("@key", uniqueKey), new("@outcome", columns.Outcome));
        if (!isNew)
        {
            rows.Add("DELETE FROM resource_identifier WHERE resource_type = @type AND id = @id;", new("@type", type), new("@id", id));
        }

        foreach (var identifier in columns.Identifiers)
        {
            rows.Add(
                "INSERT INTO resource_identifier (resource_type, id, system, value) VALUES (@type, @id, @system, @value);",
                new("@type", type), new("@id", id), new("@system", identifier.System), new("@value", identifier.Value));
        }

        await rows.ExecuteAsync(connection, transaction, cancellationToken);
        return new StoredResource(type, id, version, lastUpdated, json);
    }

    private async Task<StoredResource?> SingleAsync(DbConnection connection, string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken)
    {
        await using var command = Dialect.Command(connection, sql, parameters);
        var rows = await ReadAllAsync(command, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    private async Task<List<StoredResource>> ReadAllAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<StoredResource>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new StoredResource(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt32(2),
                Dialect.ReadInstant(reader, 3),
                reader.GetString(4),
                reader.GetBoolean(5)));
        }

        return rows;
    }
}
