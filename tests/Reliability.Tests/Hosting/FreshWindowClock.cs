namespace SpinePolicy.Reliability.Tests.Hosting;

/// <summary>
/// The real clock moved forward to one second into the next rate-limit window. Windows are aligned
/// to the epoch, so a test whose requests straddled a window's end (once a minute for a 60 s window)
/// saw its budget renewed halfway and failed; from here the test has the whole window but a second.
/// </summary>
internal sealed class FreshWindowClock : TimeProvider
{
    private readonly TimeSpan _offset;

    public FreshWindowClock(TimeSpan window)
    {
        var now = System.GetUtcNow();
        var windowTicks = window.Ticks;
        var nextWindow = new DateTimeOffset((now.UtcTicks / windowTicks + 1) * windowTicks, TimeSpan.Zero);
        _offset = nextWindow + TimeSpan.FromSeconds(1) - now;
    }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _offset;
}
