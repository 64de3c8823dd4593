namespace SpinePolicy.Storage.Postgres;

/// <summary>CRD coverage assertions in PostgreSQL; saving the same assertion id again replaces it.</summary>
public sealed class PostgresCoverageAssertionStore(PostgresDatabase database) : ICoverageAssertionStore
{
    public Task SaveAsync(IReadOnlyList<CoverageAssertion> assertions, CancellationToken cancellationToken)
    {
        if (assertions.Count == 0)
        {
            return Task.CompletedTask;
        }

        return database.WriteAsync(
            async (connection, transaction) =>
            {
                foreach (var assertion in assertions)
                {
                    await using var upsert = PostgresCommands.Create(
                        connection,
                        """
                        INSERT INTO coverage_assertion (assertion_id, order_reference, patient_id, asserted_at, json)
                        VALUES (@id, @order, @patient, @at, @json)
                        ON CONFLICT (assertion_id) DO UPDATE SET
                            order_reference = EXCLUDED.order_reference, patient_id = EXCLUDED.patient_id,
                            asserted_at = EXCLUDED.asserted_at, json = EXCLUDED.json;
                        """,
                        [
                            new("@id", assertion.AssertionId), new("@order", assertion.OrderReference), new("@patient", assertion.PatientId),
                            new("@at", assertion.AssertedAt.ToUniversalTime()), new("@json", new PostgresCommands.Jsonb(CoverageAssertionJson.Serialize(assertion))),
                        ],
                        transaction);
                    await upsert.ExecuteNonQueryAsync(cancellationToken);
                }

                return true;
            },
            cancellationToken);
    }

    public Task<CoverageAssertion?> FindAsync(string assertionId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async connection =>
            {
                await using var find = PostgresCommands.Create(connection, "SELECT json::text FROM coverage_assertion WHERE assertion_id = @id;", [new("@id", assertionId)]);
                return await find.ExecuteScalarAsync(cancellationToken) is string json ? CoverageAssertionJson.Deserialize(json) : null;
            },
            cancellationToken);
}
