namespace SpinePolicy.Storage.Feedback;

/// <summary>
/// A card a CRD service returned, kept so that CDS Hooks feedback on it can be checked (we issued
/// it, from that service) and linked to the coverage assertions it spoke about. Ids only.
/// </summary>
public sealed record IssuedCard(string CardUuid, string ServiceId, IReadOnlyList<string> AssertionIds, DateTimeOffset IssuedAt);
