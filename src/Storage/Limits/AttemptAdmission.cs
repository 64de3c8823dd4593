namespace SpinePolicy.Storage.Limits;

/// <summary>
/// The answer to <see cref="IAttemptLog.TryBeginAsync"/>: the admitted attempt's id (null when
/// refused), and what the refusal rests on: the subject's failures in the window, its attempts in
/// flight, and the latest failure.
/// </summary>
public sealed record AttemptAdmission(string? AttemptId, int Failures, int InFlight, DateTimeOffset? LatestFailure)
{
    public bool Admitted => AttemptId is not null;
}
