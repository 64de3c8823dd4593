namespace SpinePolicy.Reliability.Tests.Fuzzing;

/// <summary>One generated request body (or query) and how it was made, for the failure report.</summary>
public sealed record HostileInput(string Strategy, byte[] Body, string? ContentType)
{
    public string Describe() => $"{Strategy} ({Body.Length} bytes, {ContentType ?? "no content type"})";
}
