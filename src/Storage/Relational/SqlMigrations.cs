namespace SpinePolicy.Storage.Relational;

/// <summary>
/// The schema of both providers as numbered steps, written once with the dialect's placeholders
/// (<c>{instant}</c>, <c>{json}</c>, <c>{boolean}</c>, <c>{false}</c>, <c>{true}</c>, <c>{clustered}</c>;
/// see <see cref="SqlDialect.Render"/>). A step, once released, never changes: a new need is a new
/// step, so every existing database is brought forward in order. A step that changes one
/// provider's physical layout only names that provider; the others record it as applied.
/// </summary>
internal static class SqlMigrations
{
    public static IReadOnlyList<SqlMigration> All { get; } =
    [
        new(1, """
            CREATE TABLE resource_version (
                resource_type TEXT NOT NULL,
                id TEXT NOT NULL,
                version_id INTEGER NOT NULL,
                last_updated {instant} NOT NULL,
                deleted {boolean} NOT NULL DEFAULT {false},
                json {json} NOT NULL,
                CONSTRAINT resource_version_pkey PRIMARY KEY (resource_type, id, version_id)
            ){clustered};

            -- One row per resource pointing at its current version, with the search columns.
            CREATE TABLE resource_current (
                resource_type TEXT NOT NULL,
                id TEXT NOT NULL,
                version_id INTEGER NOT NULL,
                last_updated {instant} NOT NULL,
                patient_id TEXT NULL,
                status TEXT NULL,
                created {instant} NULL,
                unique_key TEXT NULL,
                PRIMARY KEY (resource_type, id),
                FOREIGN KEY (resource_type, id, version_id) REFERENCES resource_version (resource_type, id, version_id)
            ){clustered};
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
                asserted_at {instant} NOT NULL,
                json {json} NOT NULL
            );
            CREATE INDEX ix_coverage_assertion_order ON coverage_assertion (order_reference);

            CREATE TABLE replay_token (
                issuer TEXT NOT NULL,
                token_id TEXT NOT NULL,
                expires {instant} NOT NULL,
                PRIMARY KEY (issuer, token_id)
            ){clustered};
            CREATE INDEX ix_replay_token_expires ON replay_token (expires);
            """),
        new(2, """
            -- Subscription notifications waiting for delivery, queued in the transaction of the
            -- decision they announce; a row leaves when it is delivered or no longer wanted.
            CREATE TABLE notification_outbox (
                id TEXT NOT NULL PRIMARY KEY,
                subscription_id TEXT NOT NULL,
                event_number BIGINT NOT NULL,
                focus_type TEXT NOT NULL,
                focus_id TEXT NOT NULL,
                focus_version INTEGER NOT NULL,
                fhir_base TEXT NOT NULL,
                queued_at {instant} NOT NULL,
                due_at {instant} NOT NULL,
                attempts INTEGER NOT NULL,
                claimed_until {instant} NULL,
                last_error TEXT NULL
            );
            CREATE UNIQUE INDEX ux_notification_outbox_event ON notification_outbox (subscription_id, event_number);
            CREATE INDEX ix_notification_outbox_due ON notification_outbox (due_at);

            -- events-since-subscription-start: one counter per subscription, taken in the decision's transaction.
            CREATE TABLE subscription_event (
                subscription_id TEXT NOT NULL PRIMARY KEY,
                events BIGINT NOT NULL
            );
            """),

        // The outcome of ClaimResponses and EOBs, so the reviewer queue lists pended requests
        // ("partial") from the index; rows written before this step are filled from their JSON
        // (->> reads a JSON member as text in both SQLite and PostgreSQL).
        new(3, """
            ALTER TABLE resource_current ADD COLUMN outcome TEXT NULL;
            UPDATE resource_current SET outcome = (
                SELECT v.json ->> 'outcome' FROM resource_version v
                WHERE v.resource_type = resource_current.resource_type AND v.id = resource_current.id AND v.version_id = resource_current.version_id)
            WHERE resource_type IN ('ClaimResponse', 'ExplanationOfBenefit');
            CREATE INDEX ix_resource_current_outcome ON resource_current (resource_type, outcome, created) WHERE outcome IS NOT NULL;
            """),

        // CDS Hooks feedback: the cards CRD issued (one row per card and the assertion it spoke
        // about, so feedback links to its assertions and a payer finds it by assertion id), and the
        // feedback itself, one row per card, outcome and outcome time (a client's retry is kept once).
        new(4, """
            CREATE TABLE issued_card (
                card_uuid TEXT NOT NULL,
                assertion_id TEXT NOT NULL,
                service_id TEXT NOT NULL,
                issued_at {instant} NOT NULL,
                PRIMARY KEY (card_uuid, assertion_id)
            );
            CREATE INDEX ix_issued_card_assertion ON issued_card (assertion_id);

            CREATE TABLE card_feedback (
                feedback_id TEXT NOT NULL UNIQUE,
                card_uuid TEXT NOT NULL,
                outcome TEXT NOT NULL,
                outcome_at {instant} NOT NULL,
                service_id TEXT NOT NULL,
                received_at {instant} NOT NULL,
                json {json} NOT NULL,
                PRIMARY KEY (card_uuid, outcome, outcome_at)
            );
            CREATE INDEX ix_card_feedback_received ON card_feedback (received_at, card_uuid);
            """),

        // Limits that hold across instances: the permits taken from each client's request budget
        // per fixed window, and the $member-match attempts a lockout counts (settled = failed, else in
        // flight), with one row per subject that admission locks.
        new(5, """
            CREATE TABLE rate_window (
                partition_key TEXT NOT NULL,
                window_start {instant} NOT NULL,
                window_end {instant} NOT NULL,
                used INTEGER NOT NULL,
                last_grant INTEGER NOT NULL,
                PRIMARY KEY (partition_key, window_start)
            ){clustered};
            CREATE INDEX ix_rate_window_end ON rate_window (window_end);

            CREATE TABLE attempt_subject (
                subject TEXT NOT NULL PRIMARY KEY
            );
            CREATE TABLE failed_attempt (
                id TEXT NOT NULL PRIMARY KEY,
                subject TEXT NOT NULL,
                attempted_at {instant} NOT NULL,
                forget_after {instant} NOT NULL,
                settled {boolean} NOT NULL
            );
            CREATE INDEX ix_failed_attempt_subject ON failed_attempt (subject, attempted_at);
            CREATE INDEX ix_failed_attempt_forget ON failed_attempt (forget_after);
            """),

        // A member's requests of one status (the member history P7.16 and P8 read on every BVNA
        // hook, package and submit). Without it SQLite, which keeps no statistics unless asked,
        // chose the status index and read every active request of every member: 20,000 rows per
        // hook on the benchmark's database (21 ms of CPU against 1 ms). With three equalities this
        // index wins on SQLite's own rules and on PostgreSQL's statistics alike.
        new(6, """
            CREATE INDEX ix_resource_current_patient_status ON resource_current (resource_type, patient_id, status, last_updated) WHERE patient_id IS NOT NULL;
            """),

        // ASP.NET Core Data Protection's key ring (reviewer session cookies, OpenID Connect sign-in
        // state, antiforgery tokens), shared by every instance: kept on each instance's disk, a
        // cookie or form issued by one instance was refused by the others.
        new(7, """
            CREATE TABLE data_protection_key (
                name TEXT NOT NULL PRIMARY KEY,
                xml TEXT NOT NULL,
                stored_at {instant} NOT NULL
            );
            """),

        // SQLite only: every stored version becomes a row of an ordinary (rowid) table, its key an
        // index beside it. Kept WITHOUT ROWID, a row lives in the key's own B-tree, whose pages hold
        // at most about 1 KB of a row (a quarter page): every AuditEvent (1.6 KB) and every decision
        // spilled into overflow pages of its own, mostly empty. The seeded benchmark file shrank from
        // 106 to 42 MB, and a $submit read a third of the pages it read before (docs/benchmarks.md).
        // The versions are copied out and back because the current-row table's foreign key follows
        // a renamed table; deferring it until the commit lets the old table go meanwhile. No ORDER
        // BY: sorting would hold the whole table in memory (temp_store = MEMORY), and the copy keeps
        // the key's order, which for time-ordered ids is nearly the order of writing.
        // PostgreSQL keeps rows in heap tables already: nothing to change there.
        new(8, """
            PRAGMA defer_foreign_keys = ON;
            CREATE TABLE resource_version_copy AS
                SELECT resource_type, id, version_id, last_updated, deleted, json FROM resource_version;
            DROP TABLE resource_version;
            CREATE TABLE resource_version (
                resource_type TEXT NOT NULL,
                id TEXT NOT NULL,
                version_id INTEGER NOT NULL,
                last_updated {instant} NOT NULL,
                deleted {boolean} NOT NULL DEFAULT {false},
                json {json} NOT NULL,
                CONSTRAINT resource_version_pkey PRIMARY KEY (resource_type, id, version_id)
            );
            INSERT INTO resource_version (resource_type, id, version_id, last_updated, deleted, json)
                SELECT resource_type, id, version_id, last_updated, deleted, json FROM resource_version_copy;
            DROP TABLE resource_version_copy;
            """, OnlyFor: "SQLite"),
    ];
}
