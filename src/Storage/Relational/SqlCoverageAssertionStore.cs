using SpinePolicy.Storage.Feedback;

namespace SpinePolicy.Storage.Relational;

/// <summary>CRD coverage assertions; saving the same assertion id again replaces it. The cards issued with them go in the same transaction.</summary>
internal sealed class SqlCoverageAssertionStore(SqlDatabase database) : ICoverageAssertionStore
{
    public Task SaveAsync(IReadOnlyList<CoverageAssertion> assertions, IReadOnlyList<IssuedCard> cards, CancellationToken cancellationToken)
    {
        if (assertions.Count == 0 && cards.Count == 0)
        {
            return Task.CompletedTask;
        }

        return database.WriteAsync(
            async (connection, transaction) =>
            {
                var upserts = new SqlBatch(database.Dialect);
                foreach (var assertion in assertions)
                {
                    upserts.Add(
                        """
                        INSERT INTO coverage_assertion (assertion_id, order_reference, patient_id, asserted_at, json)
                        VALUES (@id, @order, @patient, @at, @json)
                        ON CONFLICT (assertion_id) DO UPDATE SET
                            order_reference = excluded.order_reference, patient_id = excluded.patient_id,
                            asserted_at = excluded.asserted_at, json = excluded.json;
                        """,
                        new("@id", assertion.AssertionId), new("@order", assertion.OrderReference), new("@patient", assertion.PatientId),
                        new("@at", assertion.AssertedAt), new("@json", new JsonText(CoverageAssertionJson.Serialize(assertion))));
                }

                // One row per card and assertion it spoke about (the policy reference card speaks about every order's).
                foreach (var card in cards)
                {
                    foreach (var assertionId in card.AssertionIds.Distinct(StringComparer.Ordinal))
                    {
                        upserts.Add(
                            """
                            INSERT INTO issued_card (card_uuid, assertion_id, service_id, issued_at)
                            VALUES (@card, @assertion, @service, @at)
                            ON CONFLICT (card_uuid, assertion_id) DO NOTHING;
                            """,
                            new("@card", card.CardUuid), new("@assertion", assertionId), new("@service", card.ServiceId), new("@at", card.IssuedAt));
                    }
                }

                await upserts.ExecuteAsync(connection, transaction, cancellationToken);
                return true;
            },
            cancellationToken);
    }

    public Task<CoverageAssertion?> FindAsync(string assertionId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async connection =>
            {
                await using var find = database.Dialect.Command(connection, "SELECT json FROM coverage_assertion WHERE assertion_id = @id;", [new("@id", assertionId)]);
                return await find.ExecuteScalarAsync(cancellationToken) is string json ? CoverageAssertionJson.Deserialize(json) : null;
            },
            cancellationToken);
}
