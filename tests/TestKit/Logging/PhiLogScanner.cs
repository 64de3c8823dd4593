namespace SpinePolicy.TestKit.Logging;

/// <summary>Finds patient data in log lines: whole-word, case-sensitive occurrences of each value.</summary>
public static class PhiLogScanner
{
    public static IReadOnlyList<PhiLogFinding> Scan(IEnumerable<string> lines, IReadOnlyCollection<PhiValue> values)
    {
        var findings = new List<PhiLogFinding>();
        if (values.Count == 0)
        {
            return findings;
        }

        foreach (var line in lines)
        {
            foreach (var value in values)
            {
                if (ContainsWord(line, value.Value))
                {
                    findings.Add(new PhiLogFinding(value, line));
                }
            }
        }

        return findings;
    }

    public static bool ContainsWord(string text, string value)
    {
        var from = 0;
        while (from <= text.Length - value.Length)
        {
            var at = text.IndexOf(value, from, StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            var before = at == 0 || !char.IsLetterOrDigit(text[at - 1]);
            var end = at + value.Length;
            var after = end == text.Length || !char.IsLetterOrDigit(text[end]);
            if (before && after)
            {
                return true;
            }

            from = at + 1;
        }

        return false;
    }
}

/// <summary>A log line holding a piece of patient data.</summary>
public sealed record PhiLogFinding(PhiValue Value, string Line)
{
    /// <summary>Describes the finding without repeating the patient data.</summary>
    public override string ToString() => $"{Value.Kind} '{Value.Masked}' in: {Line.Replace(Value.Value, Value.Masked, StringComparison.Ordinal)}";
}
