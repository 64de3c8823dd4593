namespace SpinePolicy.PolicyEngine.Facts;

/// <summary>
/// A service of the member in another prior-authorization request this payer holds, still
/// pending or certified (P7.16, P8). <paramref name="TreatedLevels"/> are the vertebral levels the
/// request's BVNA answers named (empty for any other service).
/// </summary>
public sealed record PriorService(string RequestId, OrderedService Service, PriorServiceStatus Status, IReadOnlyList<string> TreatedLevels);
