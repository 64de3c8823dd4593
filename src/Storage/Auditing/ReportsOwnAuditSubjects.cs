namespace SpinePolicy.Storage.Auditing;

/// <summary>
/// Endpoint metadata: this endpoint names the members and decisions of each request itself, in the
/// request's <see cref="AuditSubjects"/> feature, as it parses them. The audit then neither buffers
/// the request body nor copies the response to scan them again — on a CDS hook that re-parse was
/// about a fifth of the server's work per request.
/// </summary>
public sealed class ReportsOwnAuditSubjects
{
    public static ReportsOwnAuditSubjects Instance { get; } = new();

    private ReportsOwnAuditSubjects()
    {
    }
}
