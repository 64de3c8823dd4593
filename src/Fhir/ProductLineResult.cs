namespace SpinePolicy.Fhir;

public enum ProductLineStatus
{
    Found,
    Unknown,
    ForeignPayer,
}

/// <summary>The outcome of reading a product line from a Coverage.</summary>
public sealed record ProductLineResult(ProductLineStatus Status, string? ProductLine, string? Problem)
{
    public static ProductLineResult Found(string productLine) => new(ProductLineStatus.Found, productLine, null);

    public static ProductLineResult Unknown(string problem) => new(ProductLineStatus.Unknown, null, problem);

    public static ProductLineResult ForeignPayer(string problem) => new(ProductLineStatus.ForeignPayer, null, problem);
}
