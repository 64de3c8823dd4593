namespace SpinePolicy.Fhir.Http;

/// <summary>
/// A FHIR token search value: <c>code</c> (any system), <c>system|code</c>, <c>|code</c> (no
/// system) or <c>system|</c> (any code of that system).
/// </summary>
public sealed record TokenSearchValue(string? System, string? Code)
{
    /// <summary>True for <c>|code</c>: the element must have no system.</summary>
    public bool RequiresNoSystem => System is { Length: 0 };

    public static TokenSearchValue Parse(string parameter, string value)
    {
        var bar = IndexOfUnescapedBar(value);
        if (bar < 0)
        {
            return new TokenSearchValue(null, SearchValues.Unescape(value));
        }

        var system = SearchValues.Unescape(value[..bar]);
        var code = SearchValues.Unescape(value[(bar + 1)..]);
        if (system.Length == 0 && code.Length == 0)
        {
            throw FhirHttpException.BadRequest($"'{parameter}' needs a value: code, system|code, |code or system|.");
        }

        return new TokenSearchValue(system, code.Length == 0 ? null : code);
    }

    /// <summary>Whether an element with this system and code matches.</summary>
    public bool Matches(string? system, string? code) =>
        (System is null || (RequiresNoSystem ? string.IsNullOrEmpty(system) : System == system))
        && (Code is null || Code == code);

    private static int IndexOfUnescapedBar(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\')
            {
                i++;
            }
            else if (value[i] == '|')
            {
                return i;
            }
        }

        return -1;
    }
}
