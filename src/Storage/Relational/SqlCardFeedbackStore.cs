using System.Text;
using System.Text.Json;
using SpinePolicy.Storage.Feedback;

namespace SpinePolicy.Storage.Relational;

/// <summary>CDS Hooks feedback and the cards it is about, in the tables of migration 4.</summary>
internal sealed class SqlCardFeedbackStore(SqlDatabase database) : ICardFeedbackStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<IssuedCard?> FindIssuedCardAsync(string cardUuid, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async connection =>
            {
                await using var find = database.Dialect.Command(connection,
                    "SELECT assertion_id, service_id, issued_at FROM issued_card WHERE card_uuid = @card ORDER BY assertion_id;",
                    [new("@card", cardUuid)]);
                await using var reader = await find.ExecuteReaderAsync(cancellationToken);
                var assertions = new List<string>();
                string? service = null;
                var issuedAt = default(DateTimeOffset);
                while (await reader.ReadAsync(cancellationToken))
                {
                    assertions.Add(reader.GetString(0));
                    service = reader.GetString(1);
                    issuedAt = database.Dialect.ReadInstant(reader, 2);
                }

                return service is null ? null : new IssuedCard(cardUuid, service, assertions, issuedAt);
            },
            cancellationToken);

    public Task<int> SaveAsync(IReadOnlyList<CardFeedback> feedback, CancellationToken cancellationToken)
    {
        if (feedback.Count == 0)
        {
            return Task.FromResult(0);
        }

        return database.WriteAsync(
            async (connection, transaction) =>
            {
                var stored = 0;
                foreach (var entry in feedback)
                {
                    await using var insert = database.Dialect.Command(connection,
                        """
                        INSERT INTO card_feedback (feedback_id, card_uuid, outcome, outcome_at, service_id, received_at, json)
                        VALUES (@id, @card, @outcome, @outcomeAt, @service, @received, @json)
                        ON CONFLICT (card_uuid, outcome, outcome_at) DO NOTHING;
                        """,
                        [
                            new("@id", entry.FeedbackId), new("@card", entry.CardUuid), new("@outcome", entry.Outcome), new("@outcomeAt", entry.OutcomeTimestamp),
                            new("@service", entry.ServiceId), new("@received", entry.ReceivedAt),
                            new("@json", new JsonText(JsonSerializer.Serialize(entry, Json))),
                        ],
                        transaction);
                    stored += await insert.ExecuteNonQueryAsync(cancellationToken);
                }

                return stored;
            },
            cancellationToken);
    }

    public Task<CardFeedback?> FindAsync(string feedbackId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async connection =>
            {
                await using var find = database.Dialect.Command(connection, "SELECT json FROM card_feedback WHERE feedback_id = @id;", [new("@id", feedbackId)]);
                return await find.ExecuteScalarAsync(cancellationToken) is string json ? Deserialize(json) : null;
            },
            cancellationToken);

    public Task<IReadOnlyList<CardFeedback>> SearchAsync(CardFeedbackQuery query, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<CardFeedback>>(
            async connection =>
            {
                var (sql, parameters) = Filtered("SELECT json", query);
                var direction = query.NewestFirst ? "DESC" : "ASC";
                sql.Append($" ORDER BY received_at {direction}, card_uuid {direction}, outcome {direction}, outcome_at {direction} LIMIT @take OFFSET @skip;");
                parameters.Add(new("@take", query.Take));
                parameters.Add(new("@skip", query.Skip));

                await using var search = database.Dialect.Command(connection, sql.ToString(), parameters);
                await using var reader = await search.ExecuteReaderAsync(cancellationToken);
                var found = new List<CardFeedback>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    found.Add(Deserialize(reader.GetString(0)));
                }

                return found;
            },
            cancellationToken);

    public Task<int> CountAsync(CardFeedbackQuery query, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async connection =>
            {
                var (sql, parameters) = Filtered("SELECT COUNT(*)", query);
                await using var count = database.Dialect.Command(connection, sql.Append(';').ToString(), parameters);
                return Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            },
            cancellationToken);

    /// <summary>The query's filters as SQL after <paramref name="select"/>; only the filters asked for go in (an untyped NULL parameter is an error in PostgreSQL).</summary>
    private static (StringBuilder Sql, List<KeyValuePair<string, object?>> Parameters) Filtered(string select, CardFeedbackQuery query)
    {
        var sql = new StringBuilder(select).Append(" FROM card_feedback WHERE 1 = 1");
        var parameters = new List<KeyValuePair<string, object?>>();
        if (query.AssertionId is { } assertion)
        {
            sql.Append(" AND card_uuid IN (SELECT card_uuid FROM issued_card WHERE assertion_id = @assertion)");
            parameters.Add(new("@assertion", assertion));
        }

        if (query.ReceivedFrom is { } from)
        {
            sql.Append(" AND received_at >= @from");
            parameters.Add(new("@from", from));
        }

        if (query.ReceivedTo is { } to)
        {
            sql.Append(" AND received_at <= @to");
            parameters.Add(new("@to", to));
        }

        return (sql, parameters);
    }

    private static CardFeedback Deserialize(string json) =>
        JsonSerializer.Deserialize<CardFeedback>(json, Json) ?? throw new InvalidOperationException("A stored feedback entry is empty.");
}
