namespace SpinePolicy.Storage.Limits;

/// <summary>
/// Attempts of a subject that may fail (e.g. a client's <c>$member-match</c> guesses), kept in the
/// database so that a lockout counts the failures made through every instance. An attempt is
/// admitted only while its subject's failures plus its attempts still in flight are under the
/// limit, decided under a lock on the subject: a burst of concurrent attempts gets no more tries
/// than attempts made one after another.
/// </summary>
public interface IAttemptLog
{
    /// <summary>
    /// Admits an attempt at <paramref name="at"/> when the subject's failures and unsettled attempts
    /// since <c>at − window</c> are fewer than <paramref name="limit"/>, recording it as in flight.
    /// </summary>
    Task<AttemptAdmission> TryBeginAsync(string subject, DateTimeOffset at, TimeSpan window, int limit, CancellationToken cancellationToken);

    /// <summary>The attempt failed: it counts against its subject until the window after it has passed.</summary>
    Task FailedAsync(string attemptId, CancellationToken cancellationToken);

    /// <summary>The attempt succeeded: it counts for nothing (the subject's earlier failures stay).</summary>
    Task SucceededAsync(string attemptId, CancellationToken cancellationToken);
}
