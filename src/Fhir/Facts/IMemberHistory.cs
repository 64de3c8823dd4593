using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.Fhir.Facts;

/// <summary>
/// The member's other prior-authorization requests this payer holds, pending or certified, as
/// facts (P7.16, P8). Prior authorization keeps the requests and provides this; CRD and DTR read it
/// when it is there (a host without PAS has no history).
/// </summary>
public interface IMemberHistory
{
    /// <param name="patientId">The member's Patient id as the requests name it.</param>
    /// <param name="exceptRequestId">A request not to count (the one an update replaces).</param>
    /// <param name="viewer">Who reads what the decision says: a request it may not name is counted with no id.</param>
    Task<MemberHistory> ReadAsync(string patientId, string? exceptRequestId, HistoryViewer viewer, CancellationToken cancellationToken);
}
