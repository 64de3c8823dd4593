using Hl7.Fhir.Model;

namespace SpinePolicy.Fhir.Security;

/// <summary>
/// The provider organization a client acts for: <see cref="Key"/> (its own identifier, "system|value")
/// files the requests it submits; <see cref="Identifiers"/> (the key and any others configured) are
/// the providers it may name and answer for.
/// </summary>
public sealed class OrganizationIdentity
{
    private readonly HashSet<(string System, string Value)> _identifiers;

    public OrganizationIdentity(string key, IEnumerable<string> otherIdentifiers)
    {
        Key = key;
        _identifiers = [.. new[] { key }.Concat(otherIdentifiers).Select(Parse)];
    }

    /// <summary>"system|value" of the organization's own identifier.</summary>
    public string Key { get; }

    public IEnumerable<(string System, string Value)> Identifiers => _identifiers;

    /// <summary>True when the identifier names this organization (system and value both match).</summary>
    public bool Includes(Identifier? identifier) =>
        identifier is { System: { Length: > 0 } system, Value: { Length: > 0 } value } && _identifiers.Contains((system, value));

    public bool IncludesAny(IEnumerable<Identifier> identifiers) => identifiers.Any(Includes);

    /// <summary>True when "system|value" (or a bare value, any system) names this organization.</summary>
    public bool Includes(string token)
    {
        var parts = token.Split('|', 2);
        return parts.Length == 2
            ? _identifiers.Contains((parts[0], parts[1]))
            : _identifiers.Any(i => i.Value == parts[0]);
    }

    /// <summary>Parses "system|value"; both parts are required (a bare value could be anyone's).</summary>
    public static (string System, string Value) Parse(string token) =>
        TryParse(token, out var identifier) ? identifier : throw new FormatException($"'{token}' is not an identifier written system|value.");

    /// <summary>True when <paramref name="token"/> is "system|value" with both parts present.</summary>
    public static bool TryParse(string token, out (string System, string Value) identifier)
    {
        var parts = token.Split('|', 2);
        identifier = parts.Length == 2 ? (parts[0].Trim(), parts[1].Trim()) : ("", "");
        return identifier.System.Length > 0 && identifier.Value.Length > 0;
    }
}
