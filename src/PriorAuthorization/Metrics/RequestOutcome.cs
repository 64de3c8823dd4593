namespace SpinePolicy.PriorAuthorization.Metrics;

/// <summary>How a prior-authorization request ended, as the report counts it (see docs/cms-0057-f.md).</summary>
internal enum RequestOutcome
{
    /// <summary>Not decided yet.</summary>
    Pending,

    /// <summary>Every item that needed authorization was certified.</summary>
    Approved,

    /// <summary>Some items certified and some not: counted as approved (the care may go ahead), and shown apart.</summary>
    PartiallyApproved,

    /// <summary>No item certified, at least one not certified.</summary>
    Denied,

    /// <summary>Cancelled or replaced by the submitter before a decision.</summary>
    Withdrawn,

    /// <summary>No item needed prior authorization: not a prior-authorization decision at all.</summary>
    NotRequired,

    /// <summary>A PAS cancellation (every item cancelled): a message about another request, not a request.</summary>
    Cancellation,
}
