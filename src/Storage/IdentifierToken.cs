namespace SpinePolicy.Storage;

/// <summary>
/// One identifier a search accepts: <see cref="System"/> null for any system, empty for "no
/// system"; <see cref="Value"/> null for any value of the system. At least one is given.
/// </summary>
public sealed record IdentifierToken(string? System, string? Value);
