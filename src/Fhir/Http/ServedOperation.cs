namespace SpinePolicy.Fhir.Http;

/// <summary>A FHIR operation this server answers, as the CapabilityStatement lists it.</summary>
public sealed record ServedOperation(string Name, string Definition, string Documentation);
