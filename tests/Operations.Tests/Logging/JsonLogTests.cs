using System.Globalization;
using System.Text.Json;

namespace SpinePolicy.Operations.Tests.Logging;

/// <summary>
/// The JSON log format docs/operations.md documents, as a log pipeline would read it: every line
/// one JSON object with a UTC timestamp, event id, level, category and message.
/// </summary>
public sealed class JsonLogTests
{
    [Fact]
    public async Task Server_WithTheDocumentedJsonSettings_WritesOneJsonObjectPerLineWithUtcTimestamps()
    {
        var startedAt = DateTimeOffset.UtcNow.AddSeconds(-5);
        await using var server = RunningServer.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Storage__Provider"] = "Sqlite",
            ["Storage__Sqlite__Path"] = Path.Combine(Path.GetTempPath(), "spinepolicy-tests", $"{Guid.NewGuid():N}.db"),

            // Exactly the three settings docs/operations.md gives.
            ["Logging__Console__FormatterName"] = "json",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fffZ",
            ["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true",
        });

        await server.WaitForLineAsync(line => line.Contains("Application started", StringComparison.Ordinal), TimeSpan.FromSeconds(90));

        var lines = server.Lines.Where(line => line.Length > 0).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line =>
        {
            using var entry = JsonDocument.Parse(line);
            var root = entry.RootElement;
            var timestamp = root.GetProperty("Timestamp").GetString();
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", timestamp);
            var at = DateTimeOffset.ParseExact(timestamp!, "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            Assert.InRange(at, startedAt, DateTimeOffset.UtcNow.AddSeconds(5));
            Assert.Equal(JsonValueKind.Number, root.GetProperty("EventId").ValueKind);
            Assert.Contains(root.GetProperty("LogLevel").GetString(), new[] { "Trace", "Debug", "Information", "Warning", "Error", "Critical" });
            Assert.False(string.IsNullOrEmpty(root.GetProperty("Category").GetString()));
            Assert.False(string.IsNullOrEmpty(root.GetProperty("Message").GetString()));
        });

        // The server's own events are among them, not only the framework's.
        Assert.Contains(lines, line => CategoryOf(line).StartsWith("SpinePolicy.", StringComparison.Ordinal));
    }

    private static string CategoryOf(string line)
    {
        using var entry = JsonDocument.Parse(line);
        return entry.RootElement.GetProperty("Category").GetString() ?? "";
    }
}
