namespace SpinePolicy.PriorAuthorization.Response;

/// <summary>
/// The X12 306 action codes this server sends. NA is X12's "no action required": the way an X12 278
/// (and so PAS) says that a service needs no authorization, without inventing a certification number.
/// </summary>
public enum ReviewAction
{
    /// <summary>A1 Certified in total.</summary>
    Certified,

    /// <summary>A3 Not certified.</summary>
    NotCertified,

    /// <summary>A4 Pended.</summary>
    Pended,

    /// <summary>NA No action required (no prior authorization is required).</summary>
    NoActionRequired,

    /// <summary>C Cancelled (the submitter withdrew the item).</summary>
    Cancelled,
}

public static class ReviewActions
{
    public static (string Code, string Display) X12(this ReviewAction action) => action switch
    {
        ReviewAction.Certified => ("A1", "Certified in total"),
        ReviewAction.NotCertified => ("A3", "Not Certified"),
        ReviewAction.Pended => ("A4", "Pended"),
        ReviewAction.NoActionRequired => ("NA", "No Action Required"),
        ReviewAction.Cancelled => ("C", "Cancelled"),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    public static ReviewAction? FromX12(string? code) => code switch
    {
        "A1" => ReviewAction.Certified,
        "A3" => ReviewAction.NotCertified,
        "A4" => ReviewAction.Pended,
        "NA" => ReviewAction.NoActionRequired,
        "C" => ReviewAction.Cancelled,
        _ => null,
    };

    /// <summary>True for decisions a reviewer can no longer be asked to change automatically.</summary>
    public static bool IsFinal(this ReviewAction action) => action is not ReviewAction.Pended;
}
