namespace SpinePolicy.PriorAuthorization.Metrics;

/// <summary>
/// How product lines map to the programs of CMS-0057-F, bound from "PriorAuthorizationReport".
/// The defaults read this payer's lines: Medicare Advantage, OneCare and Senior Care Options are
/// Medicare Advantage contracts (the dual plans are D-SNPs); MassHealth ACO is Medicaid managed care;
/// the QHP line is a Qualified Health Plan; employer commercial plans are not subject to the rule.
/// A contract number (e.g. "H1234") makes Medicare Advantage figures contract-level; lines sharing
/// a contract are reported together.
/// </summary>
internal sealed class PriorAuthorizationReportOptions
{
    public const string SectionName = "PriorAuthorizationReport";

    /// <summary>The plan's name as the public page shows it.</summary>
    public string PlanName { get; set; } = "SpinePolicy Health Plan";

    public Dictionary<string, ProductLineReporting> ProductLines { get; set; } = new(StringComparer.Ordinal)
    {
        ["medicare-advantage"] = new() { Program = ReportingProgram.MedicareAdvantage },
        ["onecare"] = new() { Program = ReportingProgram.MedicareAdvantage },
        ["senior-care-options"] = new() { Program = ReportingProgram.MedicareAdvantage },
        ["masshealth-aco"] = new() { Program = ReportingProgram.Medicaid },
        ["qualified-health-plan"] = new() { Program = ReportingProgram.QualifiedHealthPlan },
        ["commercial"] = new() { Program = ReportingProgram.NotSubject },
    };

    public ProductLineReporting For(string productLine) =>
        ProductLines.TryGetValue(productLine, out var reporting) ? reporting : new ProductLineReporting { Program = ReportingProgram.NotSubject };
}
