namespace SpinePolicy.Fhir.Http;

/// <summary>The two FHIR wire formats this server reads and writes.</summary>
public enum FhirFormat
{
    Json,
    Xml,
}
