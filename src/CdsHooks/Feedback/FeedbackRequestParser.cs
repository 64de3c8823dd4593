using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.Storage.Feedback;

namespace SpinePolicy.CdsHooks.Feedback;

/// <summary>
/// Reads a CDS Hooks 2.0 feedback request (<c>{"feedback": [ … ]}</c>). Anything that is not a
/// well-formed feedback request is a 400 naming the field: a missing or unknown outcome, a card
/// that is not a string, an outcomeTimestamp that is not an ISO 8601 instant with its zone,
/// acceptedSuggestions on an override or an overrideReason on an acceptance (the two rules the
/// CDS Hooks feedback model states). Members we do not know are extensions and are ignored.
/// </summary>
internal static partial class FeedbackRequestParser
{
    /// <summary>Longer than any card id we issue (a UUID): a longer one is not ours to look up.</summary>
    private const int MaxCardIdLength = 64;

    /// <summary>How far ahead of our clock an outcome may be stamped (the EHR's clock may run a little fast).</summary>
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    public static IReadOnlyList<FeedbackEntry> Parse(JsonElement root, DateTimeOffset now)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Malformed("The feedback request must be a JSON object with a 'feedback' array.");
        }

        if (!root.TryGetProperty("feedback", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw Malformed("'feedback' is required and must be an array of feedback entries.");
        }

        if (list.GetArrayLength() == 0)
        {
            throw Malformed("'feedback' is empty: send at least one entry.");
        }

        var entries = new List<FeedbackEntry>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            entries.Add(Entry(item, $"feedback[{index}]", now));
            index++;
        }

        return entries;
    }

    private static FeedbackEntry Entry(JsonElement item, string path, DateTimeOffset now)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"{path} must be an object.");
        }

        var card = RequiredString(item, "card", path);
        if (card.Length > MaxCardIdLength)
        {
            throw Malformed($"{path}.card is not a card id (longer than {MaxCardIdLength} characters).");
        }

        var outcome = RequiredString(item, "outcome", path);
        if (outcome is not ("accepted" or "overridden"))
        {
            throw Malformed($"{path}.outcome must be 'accepted' or 'overridden'.");
        }

        var timestampText = RequiredString(item, "outcomeTimestamp", path);
        if (!IsoInstant().IsMatch(timestampText)
            || !DateTimeOffset.TryParse(timestampText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var timestamp))
        {
            throw Malformed($"{path}.outcomeTimestamp must be an ISO 8601 date and time with its zone, e.g. 2026-01-31T14:30:00Z.");
        }

        if (timestamp > now + FutureTolerance)
        {
            throw Malformed($"{path}.outcomeTimestamp is in the future.");
        }

        var accepted = AcceptedSuggestions(item, path);
        if (accepted.Count > 0 && outcome != "accepted")
        {
            throw Malformed($"{path}.acceptedSuggestions is only allowed when the outcome is 'accepted'.");
        }

        FeedbackReason? reason = null;
        string? comment = null;
        if (item.TryGetProperty("overrideReason", out var overrideReason) && overrideReason.ValueKind != JsonValueKind.Null)
        {
            if (outcome != "overridden")
            {
                throw Malformed($"{path}.overrideReason is only allowed when the outcome is 'overridden'.");
            }

            if (overrideReason.ValueKind != JsonValueKind.Object)
            {
                throw Malformed($"{path}.overrideReason must be an object (reason, userComment).");
            }

            reason = Reason(overrideReason, $"{path}.overrideReason");
            comment = OptionalString(overrideReason, "userComment", $"{path}.overrideReason");
        }

        return new FeedbackEntry(card, outcome, timestamp.ToUniversalTime(), accepted, reason, comment);
    }

    private static List<string> AcceptedSuggestions(JsonElement item, string path)
    {
        if (!item.TryGetProperty("acceptedSuggestions", out var suggestions) || suggestions.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (suggestions.ValueKind != JsonValueKind.Array)
        {
            throw Malformed($"{path}.acceptedSuggestions must be an array of objects with an 'id'.");
        }

        var ids = new List<string>();
        var index = 0;
        foreach (var suggestion in suggestions.EnumerateArray())
        {
            if (suggestion.ValueKind != JsonValueKind.Object)
            {
                throw Malformed($"{path}.acceptedSuggestions[{index}] must be an object with an 'id'.");
            }

            ids.Add(RequiredString(suggestion, "id", $"{path}.acceptedSuggestions[{index}]"));
            index++;
        }

        return ids;
    }

    /// <summary>overrideReason.reason is a Coding; its code is what a report groups by, so a Coding without one is refused.</summary>
    private static FeedbackReason? Reason(JsonElement overrideReason, string path)
    {
        if (!overrideReason.TryGetProperty("reason", out var coding) || coding.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (coding.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"{path}.reason must be a Coding (code, system, display).");
        }

        return new FeedbackReason(
            OptionalString(coding, "system", $"{path}.reason"),
            RequiredString(coding, "code", $"{path}.reason"),
            OptionalString(coding, "display", $"{path}.reason"));
    }

    private static string RequiredString(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            throw Malformed($"{path}.{name} is required and must be a non-empty string.");
        }

        return value.GetString()!;
    }

    private static string? OptionalString(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw Malformed($"{path}.{name} must be a string.");
    }

    private static CdsRequestException Malformed(string message) => new(400, "invalid-feedback", message);

    /// <summary>A date, a time and a zone (Z or ±hh:mm): CDS Hooks asks for an ISO 8601 instant, and a time without a zone is not one.</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex IsoInstant();
}
