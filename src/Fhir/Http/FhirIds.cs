using System.Text.RegularExpressions;

namespace SpinePolicy.Fhir.Http;

/// <summary>FHIR logical ids: [A-Za-z0-9\-\.]{1,64}. Anything else (e.g. "$submit") is not an id.</summary>
public static partial class FhirIds
{
    public static bool IsValid(string? id) => id is not null && IdPattern().IsMatch(id);

    [GeneratedRegex(@"^[A-Za-z0-9\-\.]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
