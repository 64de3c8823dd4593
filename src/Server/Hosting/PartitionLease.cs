namespace SpinePolicy.Server.Hosting;

/// <summary>
/// What one instance holds of one partition's budget in the current window: permits leased from
/// the database and not used yet, whether the database said the window is spent, and a local
/// count used only while the database cannot be asked. Callers lock the instance.
/// </summary>
internal sealed class PartitionLease
{
    public DateTimeOffset WindowStart { get; private set; }

    private int _remaining;
    private bool _spent;
    private int _countedLocally;

    /// <summary>Moves to <paramref name="window"/> when it is newer: leftovers of an older window are void.</summary>
    public void Enter(RateLimitWindow window)
    {
        if (window.Start > WindowStart)
        {
            WindowStart = window.Start;
            _remaining = 0;
            _spent = false;
            _countedLocally = 0;
        }
    }

    public bool IsCurrent(RateLimitWindow window) => window.Start == WindowStart;

    public bool IsSpent => _spent;

    public bool TryUseLeased()
    {
        if (_remaining == 0)
        {
            return false;
        }

        _remaining--;
        return true;
    }

    /// <summary>Adds what the database granted; a grant of none means the window is spent for every instance.</summary>
    public void AddGrant(int granted)
    {
        _remaining += granted;
        _spent = granted == 0;
    }

    /// <summary>Counts against this instance alone, for when the shared count cannot be reached.</summary>
    public bool TryUseLocally(int limit)
    {
        if (_countedLocally >= limit)
        {
            return false;
        }

        _countedLocally++;
        return true;
    }
}
