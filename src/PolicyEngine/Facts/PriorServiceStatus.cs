namespace SpinePolicy.PolicyEngine.Facts;

/// <summary>Where an earlier request's item stands: pended for review, or certified (X12 A1).</summary>
public enum PriorServiceStatus
{
    Pending,
    Certified,
}
