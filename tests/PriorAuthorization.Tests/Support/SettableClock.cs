namespace SpinePolicy.PriorAuthorization.Tests.Support;

/// <summary>
/// The server's clock under the test's control (receipt, decision and storage times all read it), so
/// that a year of requests can be received and decided in a few seconds. Timers and elapsed-time
/// measurements keep the system's.
/// </summary>
public sealed class SettableClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public DateTimeOffset Now
    {
        get => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _ticks, value.UtcTicks);
    }

    public override DateTimeOffset GetUtcNow() => Now;
}
