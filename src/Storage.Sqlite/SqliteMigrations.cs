namespace SpinePolicy.Storage.Sqlite;

/// <summary>
/// The schema as numbered steps. A step, once released, never changes: a new need is a new step,
/// so every existing file can be brought forward in order.
/// </summary>
public static class SqliteMigrations
{
    public static IReadOnlyList<(int Version, string Sql)> All { get; } =
    [
        (1, """
            CREATE TABLE resource_version (
                resource_type TEXT NOT NULL,
                id TEXT NOT NULL,
                version_id INTEGER NOT NULL,
                last_updated INTEGER NOT NULL,
                deleted INTEGER NOT NULL DEFAULT 0,
                json TEXT NOT NULL,
                PRIMARY KEY (resource_type, id, version_id)
            ) WITHOUT ROWID;

            -- One row per resource pointing at its current version, with the search columns.
            CREATE TABLE resource_current (
                resource_type TEXT NOT NULL,
                id TEXT NOT NULL,
                version_id INTEGER NOT NULL,
                last_updated INTEGER NOT NULL,
                patient_id TEXT NULL,
                status TEXT NULL,
                created INTEGER NULL,
                unique_key TEXT NULL,
                PRIMARY KEY (resource_type, id),
                FOREIGN KEY (resource_type, id, version_id) REFERENCES resource_version (resource_type, id, version_id)
            ) WITHOUT ROWID;
            CREATE UNIQUE INDEX ux_resource_current_unique_key ON resource_current (resource_type, unique_key) WHERE unique_key IS NOT NULL;
            CREATE INDEX ix_resource_current_updated ON resource_current (resource_type, last_updated, id);
            CREATE INDEX ix_resource_current_patient ON resource_current (resource_type, patient_id, last_updated) WHERE patient_id IS NOT NULL;
            CREATE INDEX ix_resource_current_status ON resource_current (resource_type, status, last_updated);
            CREATE INDEX ix_resource_current_created ON resource_current (resource_type, created);

            CREATE TABLE resource_identifier (
                resource_type TEXT NOT NULL,
                id TEXT NOT NULL,
                system TEXT NULL,
                value TEXT NOT NULL
            );
            CREATE INDEX ix_resource_identifier_value ON resource_identifier (resource_type, value, system);
            CREATE INDEX ix_resource_identifier_owner ON resource_identifier (resource_type, id);

            CREATE TABLE coverage_assertion (
                assertion_id TEXT NOT NULL PRIMARY KEY,
                order_reference TEXT NOT NULL,
                patient_id TEXT NULL,
                asserted_at INTEGER NOT NULL,
                json TEXT NOT NULL
            );
            CREATE INDEX ix_coverage_assertion_order ON coverage_assertion (order_reference);

            CREATE TABLE replay_token (
                issuer TEXT NOT NULL,
                token_id TEXT NOT NULL,
                expires INTEGER NOT NULL,
                PRIMARY KEY (issuer, token_id)
            ) WITHOUT ROWID;
            CREATE INDEX ix_replay_token_expires ON replay_token (expires);
            """),
    ];
}
