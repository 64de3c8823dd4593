using Microsoft.Extensions.Options;
using SpinePolicy.Storage.Limits;

namespace SpinePolicy.FhirRest.PayerToPayer;

/// <summary>
/// Brute-force guard for $member-match: a client that fails to match
/// <see cref="PayerToPayerOptions.MaxFailedMatchAttempts"/> times within the lockout window is
/// refused (429) until the window after its latest failure has passed; a success in between does
/// not forgive earlier failures. Attempts are kept in the database (<see cref="IAttemptLog"/>), so
/// the limit holds for all instances together, and an attempt in flight counts until it is
/// settled: a burst of concurrent guesses gets no more tries than guesses made one by one. A
/// client with as many matches in flight as the limit is told to retry in a second, not locked out.
/// </summary>
internal sealed class MemberMatchAttemptGuard(IAttemptLog attempts, IOptions<PayerToPayerOptions> options, TimeProvider time)
{
    private static readonly TimeSpan BusyRetry = TimeSpan.FromSeconds(1);

    /// <param name="partner">The client's <see cref="PartnerKey"/>: a namesake at another issuer has its own count.</param>
    public async Task<MemberMatchAttempt> BeginAsync(string partner, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var window = options.Value.LockoutWindow;
        var admission = await attempts.TryBeginAsync("member-match:" + partner, now, window, options.Value.MaxFailedMatchAttempts, cancellationToken);
        if (admission.AttemptId is { } id)
        {
            return new MemberMatchAttempt(id, null, LockedOut: false);
        }

        if (admission.Failures >= options.Value.MaxFailedMatchAttempts && admission.LatestFailure is { } latest)
        {
            var wait = latest + window - now;
            return new MemberMatchAttempt(null, wait > BusyRetry ? wait : BusyRetry, LockedOut: true);
        }

        return new MemberMatchAttempt(null, BusyRetry, LockedOut: false);
    }

    public Task FailedAsync(MemberMatchAttempt attempt, CancellationToken cancellationToken) =>
        attempts.FailedAsync(attempt.Id!, cancellationToken);

    public Task SucceededAsync(MemberMatchAttempt attempt, CancellationToken cancellationToken) =>
        attempts.SucceededAsync(attempt.Id!, cancellationToken);
}
