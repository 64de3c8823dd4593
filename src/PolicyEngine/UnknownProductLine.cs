namespace SpinePolicy.PolicyEngine;

/// <summary>
/// P3's finding for a member whose product line the policy does not list. A Coverage that names no
/// product line of this payer arrives as an empty one: the finding then says so, rather than
/// quoting an empty name back ("product line ''").
/// </summary>
internal static class UnknownProductLine
{
    public static PolicyFinding Finding(string? productLine, string consequence)
    {
        var what = string.IsNullOrWhiteSpace(productLine)
            ? "The member's Coverage names no product line this policy covers"
            : $"The member's product line '{productLine}' is not one this policy covers";
        return new PolicyFinding(FindingKind.UnknownProductLine, "P3", $"{what}; {consequence}.");
    }
}
