namespace SpinePolicy.PriorAuthorization.Metrics;

/// <summary>The program a product line reports under, as CMS-0057-F splits the impacted payers.</summary>
internal enum ReportingProgram
{
    /// <summary>Medicare Advantage: reported per contract.</summary>
    MedicareAdvantage,

    /// <summary>A Medicaid managed care plan.</summary>
    Medicaid,

    /// <summary>A CHIP managed care entity.</summary>
    Chip,

    /// <summary>A Qualified Health Plan issuer on a Federally-facilitated Exchange.</summary>
    QualifiedHealthPlan,

    /// <summary>A line the rule does not cover (e.g. employer commercial plans): reported for completeness, apart.</summary>
    NotSubject,
}

internal static class ReportingPrograms
{
    public static string Display(this ReportingProgram program) => program switch
    {
        ReportingProgram.MedicareAdvantage => "Medicare Advantage",
        ReportingProgram.Medicaid => "Medicaid managed care",
        ReportingProgram.Chip => "CHIP managed care",
        ReportingProgram.QualifiedHealthPlan => "Qualified Health Plan",
        _ => "Not subject to CMS-0057-F",
    };
}
