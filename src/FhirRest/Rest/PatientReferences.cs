using Hl7.Fhir.Model;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.FhirRest.Rest;

/// <summary>The logical id in a Patient reference ("Patient/1", absolute or versioned), or null.</summary>
internal static class PatientReferences
{
    public static string? IdOf(ResourceReference? reference)
    {
        var text = reference?.Reference;
        if (string.IsNullOrWhiteSpace(text) || text.StartsWith('#'))
        {
            return null;
        }

        var segments = text.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = segments.Length - 2; i >= 0; i--)
        {
            if (segments[i] == "Patient")
            {
                return FhirIds.IsValid(segments[i + 1]) ? segments[i + 1] : null;
            }
        }

        return null;
    }
}
