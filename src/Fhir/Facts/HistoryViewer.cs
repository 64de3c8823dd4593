using SpinePolicy.Fhir.Security;

namespace SpinePolicy.Fhir.Facts;

/// <summary>
/// Who will read the words a decision built from the member's history (P7.16, P8), and so whose
/// request ids those words may name. The decision counts every request of the member whoever filed
/// it; only the id is withheld, because another organization's request id is theirs (with it a
/// provider could point at, or learn of, a competitor's care of the member).
/// </summary>
public sealed class HistoryViewer
{
    private readonly Func<string?, bool> _mayName;

    private HistoryViewer(Func<string?, bool> mayName) => _mayName = mayName;

    /// <summary>This payer's own paths (reviewers, the policy impact command): every request is named.</summary>
    public static HistoryViewer Payer { get; } = new(_ => true);

    /// <summary>A caller bound to no organization (a CRD EHR): no request is named.</summary>
    public static HistoryViewer Nobody { get; } = new(_ => false);

    /// <summary>A FHIR caller: its own organization's requests named, every one for this payer's staff.</summary>
    public static HistoryViewer Of(FhirCaller caller) => new(caller.MaySee);

    /// <summary>May the words shown name a request filed under <paramref name="ownerKey"/> (null: filed under no organization).</summary>
    public bool MayName(string? ownerKey) => _mayName(ownerKey);
}
