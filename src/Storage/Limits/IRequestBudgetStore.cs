namespace SpinePolicy.Storage.Limits;

/// <summary>
/// Request budgets shared by every instance on one database: each fixed window of a partition
/// (a client, an issuer, an address) has a limit, and instances take permits from it in small
/// leases, so the instances together never admit more than the limit.
/// </summary>
public interface IRequestBudgetStore
{
    /// <summary>
    /// Takes up to <paramref name="wanted"/> permits from the window's remaining budget in one
    /// atomic step; returns how many were granted (0 when the window is spent).
    /// </summary>
    Task<int> TakeAsync(string partition, DateTimeOffset windowStart, DateTimeOffset windowEnd, int wanted, int limit, CancellationToken cancellationToken);
}
