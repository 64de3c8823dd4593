using Hl7.Fhir.Model;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// One occurrence of a search parameter: its values are alternatives (FHIR's comma OR list); two
/// occurrences of the same parameter must both hold (AND). Values are unescaped (<c>\,</c> → <c>,</c>).
/// </summary>
public sealed record SearchCriterion(ServedSearchParameter Parameter, IReadOnlyList<string> Values)
{
    public string Name => Parameter.Name;

    public SearchParamType Type => Parameter.Type;

    /// <summary>The values as tokens (<c>code</c>, <c>system|code</c>, <c>|code</c>, <c>system|</c>).</summary>
    public IReadOnlyList<TokenSearchValue> Tokens => [.. Values.Select(v => TokenSearchValue.Parse(Name, v))];
}
