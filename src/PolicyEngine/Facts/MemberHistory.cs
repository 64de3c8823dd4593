namespace SpinePolicy.PolicyEngine.Facts;

/// <summary>
/// What this payer already holds for the member: the services of their other requests that are
/// pending or certified. Denied, cancelled and replaced requests are not history: nothing of them
/// will be done under an authorization of ours.
/// </summary>
public sealed record MemberHistory(IReadOnlyList<PriorService> Services)
{
    public static MemberHistory None { get; } = new([]);
}
