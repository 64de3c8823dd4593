using System.Text.Json;

namespace SpinePolicy.CdsHooks.Protocol;

/// <summary>
/// A CDS Hooks action the EHR applies without a clinician's click. <see cref="Resource"/> is FHIR
/// JSON written by the Firely serializer (FhirJson), carried as an element so the envelope's own
/// serializer never touches FHIR.
/// </summary>
internal sealed record CdsSystemAction(string Type, string Description, JsonElement Resource);
