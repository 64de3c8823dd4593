namespace SpinePolicy.PriorAuthorization.Metrics;

/// <summary>One product line's program and, for Medicare Advantage, its contract number.</summary>
internal sealed class ProductLineReporting
{
    public ReportingProgram Program { get; set; } = ReportingProgram.NotSubject;

    public string? Contract { get; set; }
}
