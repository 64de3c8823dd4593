using Hl7.Fhir.Model;

namespace SpinePolicy.FhirRest.Rest;

/// <summary>A search parameter a resource type answers, as the CapabilityStatement lists it.</summary>
public sealed record ServedSearchParameter(string Name, SearchParamType Type, string? Definition, string Documentation);
