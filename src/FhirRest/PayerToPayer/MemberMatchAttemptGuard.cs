using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace SpinePolicy.FhirRest.PayerToPayer;

/// <summary>
/// Brute-force guard for $member-match: a client that fails to match
/// <see cref="PayerToPayerOptions.MaxFailedMatchAttempts"/> times within the lockout window is
/// refused (429) until the window after its latest failure has passed; a success in between does
/// not forgive earlier failures. Per instance and in memory:
/// with N instances a client gets at most N × the limit, which still defeats enumeration.
/// </summary>
public sealed class MemberMatchAttemptGuard(IOptions<PayerToPayerOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, List<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>How long the client must wait, or null when it may try.</summary>
    public TimeSpan? LockedOutFor(string clientId)
    {
        if (!_failures.TryGetValue(clientId, out var failures))
        {
            return null;
        }

        lock (failures)
        {
            var now = time.GetUtcNow();
            failures.RemoveAll(at => now - at >= options.Value.LockoutWindow);
            if (failures.Count < options.Value.MaxFailedMatchAttempts)
            {
                return null;
            }

            return failures.Max() + options.Value.LockoutWindow - now;
        }
    }

    public void RecordFailure(string clientId)
    {
        var failures = _failures.GetOrAdd(clientId, _ => []);
        lock (failures)
        {
            failures.Add(time.GetUtcNow());
        }
    }
}
