using System.Globalization;
using SpinePolicy.Storage.Limits;

namespace SpinePolicy.Storage.Relational;

/// <summary>
/// Attempts as rows of <c>failed_attempt</c> (settled = the attempt failed; unsettled = in flight).
/// Admission locks the subject's row in <c>attempt_subject</c> first, so two instances admitting
/// attempts of one subject at once take turns and see each other's attempts. Rows past their
/// retention are deleted with the next attempt admitted.
/// </summary>
internal sealed class SqlAttemptLog(SqlDatabase database, TimeProvider clock) : IAttemptLog
{
    public Task<AttemptAdmission> TryBeginAsync(string subject, DateTimeOffset at, TimeSpan window, int limit, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return database.WriteAsync(
            async (connection, transaction) =>
            {
                var dialect = database.Dialect;
                await using (var purge = dialect.Command(connection, "DELETE FROM failed_attempt WHERE forget_after <= @now;", [new("@now", now)], transaction))
                {
                    await purge.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (var subjectRow = dialect.Command(connection, "INSERT INTO attempt_subject (subject) VALUES (@subject) ON CONFLICT (subject) DO NOTHING;", [new("@subject", subject)], transaction))
                {
                    await subjectRow.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (var lockSubject = dialect.Command(connection, $"SELECT subject FROM attempt_subject WHERE subject = @subject{dialect.LockRows};", [new("@subject", subject)], transaction))
                {
                    await lockSubject.ExecuteScalarAsync(cancellationToken);
                }

                int failures, inFlight;
                DateTimeOffset? latest;
                await using (var count = dialect.Command(
                    connection,
                    """
                    SELECT COALESCE(SUM(CASE WHEN settled THEN 1 ELSE 0 END), 0),
                           COALESCE(SUM(CASE WHEN settled THEN 0 ELSE 1 END), 0),
                           MAX(CASE WHEN settled THEN attempted_at END)
                    FROM failed_attempt WHERE subject = @subject AND attempted_at >= @since;
                    """,
                    [new("@subject", subject), new("@since", at - window)],
                    transaction))
                await using (var reader = await count.ExecuteReaderAsync(cancellationToken))
                {
                    await reader.ReadAsync(cancellationToken);
                    failures = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
                    inFlight = Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture);
                    latest = reader.IsDBNull(2) ? null : dialect.ReadInstant(reader, 2);
                }

                if (failures + inFlight >= limit)
                {
                    return new AttemptAdmission(null, failures, inFlight, latest);
                }

                var id = Guid.NewGuid().ToString("N");
                await using (var insert = dialect.Command(
                    connection,
                    dialect.Render("INSERT INTO failed_attempt (id, subject, attempted_at, forget_after, settled) VALUES (@id, @subject, @at, @forget, {false});"),
                    [new("@id", id), new("@subject", subject), new("@at", at), new("@forget", at + window)],
                    transaction))
                {
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }

                return new AttemptAdmission(id, failures, inFlight, latest);
            },
            cancellationToken);
    }

    public Task FailedAsync(string attemptId, CancellationToken cancellationToken) =>
        Execute("UPDATE failed_attempt SET settled = {true} WHERE id = @id;", [new("@id", attemptId)], cancellationToken);

    public Task SucceededAsync(string attemptId, CancellationToken cancellationToken) =>
        Execute("DELETE FROM failed_attempt WHERE id = @id;", [new("@id", attemptId)], cancellationToken);

    private Task<int> Execute(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = database.Dialect.Command(connection, database.Dialect.Render(sql), parameters, transaction);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
}
