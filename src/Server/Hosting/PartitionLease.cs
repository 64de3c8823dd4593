namespace SpinePolicy.Server.Hosting;

/// <summary>
/// What one instance holds of one partition's budget in the current window: permits leased from
/// the database and not used yet, whether the database said the window is spent, and a local
/// count used only while the database cannot be asked, and the one database request for more
/// permits in flight, which every request that finds the lease empty waits for. Callers lock the instance.
/// </summary>
internal sealed class PartitionLease
{
    /// <summary>The newest window a request of this partition has entered.</summary>
    public RateLimitWindow Window { get; private set; }

    public DateTimeOffset WindowStart => Window.Start;

    private int _remaining;
    private bool _spent;
    private int _countedLocally;
    private Task<int>? _refill;

    /// <summary>Moves to <paramref name="window"/> when it is newer: leftovers of an older window are void.</summary>
    public void Enter(RateLimitWindow window)
    {
        if (window.Start > Window.Start)
        {
            Window = window;
            _remaining = 0;
            _spent = false;
            _countedLocally = 0;
            _refill = null;
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

    /// <summary>The database request for more permits in this window: the one in flight, else a new one from <paramref name="take"/>.</summary>
    public Task<int> Refill(Func<Task<int>> take) => _refill ??= Start(take);

    /// <summary>A store that fails before its first await fails the refill, as one failing later does.</summary>
    private static Task<int> Start(Func<Task<int>> take)
    {
        try
        {
            return take();
        }
        catch (Exception ex)
        {
            return Task.FromException<int>(ex);
        }
    }

    /// <summary>
    /// Adds what <paramref name="refill"/> granted, once however many requests waited for it; a
    /// grant of none means the window is spent for every instance.
    /// </summary>
    public void Complete(Task<int> refill, int granted)
    {
        if (!ReferenceEquals(_refill, refill))
        {
            return;
        }

        _refill = null;
        _remaining += granted;
        _spent = granted == 0;
    }

    /// <summary>Forgets a refill that failed, so that the next request asks the database again.</summary>
    public void Abandon(Task<int> refill)
    {
        if (ReferenceEquals(_refill, refill))
        {
            _refill = null;
        }
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
