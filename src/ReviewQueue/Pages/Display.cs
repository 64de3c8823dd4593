using System.Globalization;

namespace SpinePolicy.ReviewQueue.Pages;

/// <summary>How the pages write times: UTC, to the minute, the same everywhere.</summary>
internal static class Display
{
    public static string Time(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string MachineTime(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-ddTHH:mmZ", CultureInfo.InvariantCulture);
}
