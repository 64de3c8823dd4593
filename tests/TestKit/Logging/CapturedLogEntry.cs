using Microsoft.Extensions.Logging;

namespace SpinePolicy.TestKit.Logging;

/// <summary>One log line as the server wrote it, with the exception text when there was one.</summary>
public sealed record CapturedLogEntry(string Category, LogLevel Level, EventId EventId, string Message, string? Exception)
{
    public string Text => Exception is null ? Message : $"{Message} {Exception}";

    public override string ToString() => $"{Level} {Category}[{EventId.Id}] {Text}";
}
