namespace SpinePolicy.PolicyEngine.Facts;

/// <summary>
/// Where an earlier request's item stands: pended for review, certified (X12 A1), or answered that
/// it needs no prior authorization (X12 NA: the procedure goes ahead without one, so it is as
/// planned as a certified one for P8).
/// </summary>
public enum PriorServiceStatus
{
    Pending,
    Certified,
    NoAuthorizationRequired,
}
