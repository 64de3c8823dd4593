using Hl7.Fhir.Model;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Storage.Indexing;

namespace SpinePolicy.FhirRest.Rest;

/// <summary>The logical id in a Patient reference ("Patient/1", absolute or versioned), or null.</summary>
internal static class PatientReferences
{
    public static string? IdOf(ResourceReference? reference) =>
        SearchColumnExtractor.PatientIdFrom(reference) is { } id && FhirIds.IsValid(id) ? id : null;
}
