using System.Text;

namespace SpinePolicy.Fhir.Http;

/// <summary>FHIR's escaping in search values: <c>\,</c>, <c>\|</c>, <c>\$</c> and <c>\\</c> stand for the character itself.</summary>
public static class SearchValues
{
    /// <summary>Splits a value at unescaped commas (the OR list), keeping escapes for the next step.</summary>
    public static IReadOnlyList<string> SplitOr(string value)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\')
            {
                i++;
            }
            else if (value[i] == ',')
            {
                parts.Add(value[start..i]);
                start = i + 1;
            }
        }

        parts.Add(value[start..]);
        return parts;
    }

    public static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
            }

            text.Append(value[i]);
        }

        return text.ToString();
    }
}
