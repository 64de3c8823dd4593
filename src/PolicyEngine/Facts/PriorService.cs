namespace SpinePolicy.PolicyEngine.Facts;

/// <summary>
/// A service of the member in another prior-authorization request this payer holds, still
/// pending or certified (P7.16, P8). <paramref name="TreatedLevels"/> are the vertebral levels the
/// request's BVNA answers named (empty for any other service). <paramref name="RequestId"/> is null
/// when the one asking may not be told it (another organization's request): the service counts
/// all the same, and the words say "a request certified for another provider".
/// </summary>
public sealed record PriorService(string? RequestId, OrderedService Service, PriorServiceStatus Status, IReadOnlyList<string> TreatedLevels);
