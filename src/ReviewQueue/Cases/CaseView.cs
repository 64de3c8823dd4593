using SpinePolicy.PriorAuthorization.Review;

namespace SpinePolicy.ReviewQueue.Cases;

/// <summary>What the case page shows about one request.</summary>
internal sealed record CaseView(
    PendedRequest Summary,
    string? PatientId,
    int ResponseVersion,
    string Disposition,
    IReadOnlyList<CaseItem> Items,
    IReadOnlyList<AnsweredQuestionnaire> Answers,
    IReadOnlyList<EarlierRequest> EarlierRequests)
{
    public bool HasPendedItems => Items.Any(i => i.IsPended);
}

/// <summary>One item of the request: its code, where it stands, and the engine's reasons with the policy's words.</summary>
internal sealed record CaseItem(
    int Sequence,
    string Code,
    string? CodeDisplay,
    string ActionCode,
    string ActionDisplay,
    bool IsPended,
    string? AuthorizationNumber,
    IReadOnlyList<string> Notes,
    IReadOnlyList<(string Code, string Display)> ReasonCodes,
    IReadOnlyList<ClauseText> Clauses);

/// <summary>A policy clause a reason names, with the policy's criteria under it.</summary>
internal sealed record ClauseText(string Clause, IReadOnlyList<string> Criteria);

/// <summary>The answers of one QuestionnaireResponse beside their questions.</summary>
internal sealed record AnsweredQuestionnaire(string Title, string? Status, IReadOnlyList<(string Question, string Answer)> Rows);

/// <summary>Another request of the same member, most recent first.</summary>
internal sealed record EarlierRequest(string RecordId, string ClaimIdentifier, DateTimeOffset? Received, IReadOnlyList<string> Codes, string Outcome, bool IsPended);
