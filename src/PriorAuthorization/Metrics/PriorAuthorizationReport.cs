namespace SpinePolicy.PriorAuthorization.Metrics;

/// <summary>
/// The CMS-0057-F public prior-authorization metrics for one period: what needs prior
/// authorization, and the figures per program (Medicare Advantage per contract), with the counts
/// behind every percentage. Serialized as is for /metrics/prior-authorization.json.
/// </summary>
internal sealed record PriorAuthorizationReport(
    string PlanName,
    DateOnly From,
    DateOnly To,
    DateTimeOffset GeneratedAt,
    string Definitions,
    IReadOnlyList<ServicesRequiringAuthorization> ItemsRequiringPriorAuthorization,
    IReadOnlyList<ProgramFigures> Programs,
    ReportFigures All);

/// <summary>The services that need prior authorization on one product line under one policy version.</summary>
internal sealed record ServicesRequiringAuthorization(
    string ProductLine,
    string ProductLineDisplay,
    string Program,
    string PolicyVersion,
    DateOnly InForceFrom,
    DateOnly? InForceUntil,
    IReadOnlyList<ServiceRequiringAuthorization> Services);

/// <summary>One service (CPT code) that needs prior authorization, with its group in the policy.</summary>
internal sealed record ServiceRequiringAuthorization(string Code, string Group, bool RequirementNotOnFile);

/// <summary>One program's figures (one contract, for Medicare Advantage).</summary>
internal sealed record ProgramFigures(string Program, string? Contract, IReadOnlyList<string> ProductLines, ReportFigures Figures);

/// <summary>Every figure of the report for one set of requests.</summary>
internal sealed record ReportFigures(
    int RequestsReceived,
    int Pending,
    int Withdrawn,
    int NotRequiringAuthorization,
    UrgencyFigures Standard,
    UrgencyFigures Expedited,
    ExtensionFigures TimeframeExtended,
    AppealFigures Appeals);

/// <summary>Initial requests on one timeframe (standard or expedited), decided.</summary>
internal sealed record UrgencyFigures(
    int Decided,
    int Approved,
    int PartiallyApproved,
    int Denied,
    decimal? ApprovedPercent,
    decimal? DeniedPercent,
    int ApprovedAfterAppeal,
    decimal? ApprovedAfterAppealPercent,
    int DecidedLate,
    decimal? AverageHoursToDecision,
    decimal? MedianHoursToDecision);

/// <summary>Decided initial requests whose timeframe was extended, and those of them approved.</summary>
internal sealed record ExtensionFigures(int Decided, int Extended, decimal? ExtendedPercent, int ExtendedAndApproved, decimal? ExtendedAndApprovedPercent);

/// <summary>Appeals received in the period.</summary>
internal sealed record AppealFigures(int Received, int Pending, int Decided, int Approved, decimal? ApprovedPercent);
