using SpinePolicy.PolicyEngine;

namespace SpinePolicy.PriorAuthorization.Response;

/// <summary>
/// The X12 886 (HCR03) review decision reason that fits each kind of policy finding. The reason code
/// only classifies; the processNote carries the clause and the finding in words.
/// </summary>
public static class ReviewReasons
{
    /// <summary>
    /// The X12 886 reasons a reviewer may give for not certifying an item. Missing information
    /// (0U) is not among them: the policy never denies for it, the request stays pended.
    /// </summary>
    public static IReadOnlyList<(string Code, string Display)> Denials { get; } =
    [
        ("0F", "Not Medically Necessary"),
        ("0T", "Experimental Service or Procedure"),
        ("0Y", "Service inconsistent with Patient's Age"),
        ("10", "Product/service/procedure delivery pattern (e.g., units, days, visits, weeks, hours, months)"),
        ("14", "Plan/contractual guidelines not followed"),
        ("0M", "Non-covered Service"),
    ];

    /// <summary>The words of a denial reason code, or null when it is not one a reviewer may give.</summary>
    public static string? DenialDisplay(string code) => Denials.FirstOrDefault(d => d.Code == code).Display;

    public static (string Code, string Display)? For(FindingKind kind) => kind switch
    {
        FindingKind.ExclusionPresent or FindingKind.ConcurrentProcedure => ("0T", "Experimental Service or Procedure"),
        FindingKind.RequirementNotMet => ("0F", "Not Medically Necessary"),
        FindingKind.BelowMinimumAge => ("0Y", "Service inconsistent with Patient's Age"),
        FindingKind.UnitsBeyondLimit => ("10", "Product/service/procedure delivery pattern (e.g., units, days, visits, weeks, hours, months)"),
        FindingKind.AddOnWithoutPrimary => ("14", "Plan/contractual guidelines not followed"),
        FindingKind.NotPayable => ("0M", "Non-covered Service"),
        FindingKind.NoPriorAuthorizationRequired => ("0H", "Certification Not Required for this Service"),
        FindingKind.InformationMissing or FindingKind.AgeUnknown => ("0U", "Additional Patient Information required"),
        FindingKind.IndicationNotMet or FindingKind.ClinicalReviewRequired or FindingKind.UnknownProductLine => ("0V", "Requires Medical Review"),
        _ => null,
    };
}
