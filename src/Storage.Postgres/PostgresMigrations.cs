namespace SpinePolicy.Storage.Postgres;

/// <summary>
/// The schema as numbered steps. A step, once released, never changes: a new need is a new step.
/// Same shape as the SQLite schema, with jsonb for resources and timestamptz for instants.
/// </summary>
public static class PostgresMigrations
{
    public static IReadOnlyList<(int Version, string Sql)> All { get; } =
    [
        (1, """
            CREATE TABLE resource_version (
                resource_type text NOT NULL,
                id text NOT NULL,
                version_id integer NOT NULL,
                last_updated timestamptz NOT NULL,
                deleted boolean NOT NULL DEFAULT false,
                json jsonb NOT NULL,
                CONSTRAINT resource_version_pkey PRIMARY KEY (resource_type, id, version_id)
            );

            -- One row per resource pointing at its current version, with the search columns.
            CREATE TABLE resource_current (
                resource_type text NOT NULL,
                id text NOT NULL,
                version_id integer NOT NULL,
                last_updated timestamptz NOT NULL,
                patient_id text NULL,
                status text NULL,
                created timestamptz NULL,
                unique_key text NULL,
                PRIMARY KEY (resource_type, id),
                FOREIGN KEY (resource_type, id, version_id) REFERENCES resource_version (resource_type, id, version_id)
            );
            CREATE UNIQUE INDEX ux_resource_current_unique_key ON resource_current (resource_type, unique_key) WHERE unique_key IS NOT NULL;
            CREATE INDEX ix_resource_current_updated ON resource_current (resource_type, last_updated, id);
            CREATE INDEX ix_resource_current_patient ON resource_current (resource_type, patient_id, last_updated) WHERE patient_id IS NOT NULL;
            CREATE INDEX ix_resource_current_status ON resource_current (resource_type, status, last_updated);
            CREATE INDEX ix_resource_current_created ON resource_current (resource_type, created);

            CREATE TABLE resource_identifier (
                resource_type text NOT NULL,
                id text NOT NULL,
                system text NULL,
                value text NOT NULL
            );
            CREATE INDEX ix_resource_identifier_value ON resource_identifier (resource_type, value, system);
            CREATE INDEX ix_resource_identifier_owner ON resource_identifier (resource_type, id);

            CREATE TABLE coverage_assertion (
                assertion_id text NOT NULL PRIMARY KEY,
                order_reference text NOT NULL,
                patient_id text NULL,
                asserted_at timestamptz NOT NULL,
                json jsonb NOT NULL
            );
            CREATE INDEX ix_coverage_assertion_order ON coverage_assertion (order_reference);

            CREATE TABLE replay_token (
                issuer text NOT NULL,
                token_id text NOT NULL,
                expires timestamptz NOT NULL,
                PRIMARY KEY (issuer, token_id)
            );
            CREATE INDEX ix_replay_token_expires ON replay_token (expires);
            """),
    ];
}
