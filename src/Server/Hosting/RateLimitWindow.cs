namespace SpinePolicy.Server.Hosting;

/// <summary>
/// One fixed rate-limit window. Windows are aligned to the Unix epoch, so every instance computes
/// the same window for the same instant and they count into the same database row.
/// </summary>
internal readonly record struct RateLimitWindow(DateTimeOffset Start, DateTimeOffset End)
{
    public static RateLimitWindow At(DateTimeOffset now, TimeSpan length)
    {
        var lengthMs = (long)length.TotalMilliseconds;
        var startMs = now.ToUnixTimeMilliseconds() / lengthMs * lengthMs;
        var start = DateTimeOffset.FromUnixTimeMilliseconds(startMs);
        return new RateLimitWindow(start, start + length);
    }

    /// <summary>Whole seconds until the window ends, at least one (the value of Retry-After).</summary>
    public int SecondsLeft(DateTimeOffset now) => Math.Max(1, (int)Math.Ceiling((End - now).TotalSeconds));
}
