namespace SpinePolicy.FhirRest.Rest;

/// <summary>A FHIR operation this server answers (whichever slice implements it).</summary>
public sealed record ServedOperation(string Name, string Definition, string Documentation);
