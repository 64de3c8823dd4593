namespace SpinePolicy.ReviewQueue.Tests.Support;

/// <summary>Real time, plus however far a test has moved it ahead (never back, so no session comes back to life).</summary>
public sealed class SessionClock : TimeProvider
{
    private long _aheadTicks;

    public void MoveAhead(TimeSpan by) => Interlocked.Add(ref _aheadTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _aheadTicks));
}
