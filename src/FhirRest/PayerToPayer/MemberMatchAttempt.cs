namespace SpinePolicy.FhirRest.PayerToPayer;

/// <summary>
/// One <c>$member-match</c> attempt: its id in the attempt log when admitted; otherwise how long
/// the client must wait, and whether that is a lockout (too many failures) or only too many
/// matches in flight at once.
/// </summary>
internal sealed record MemberMatchAttempt(string? Id, TimeSpan? RetryAfter, bool LockedOut);
