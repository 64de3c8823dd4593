using Hl7.Fhir.Model;

namespace SpinePolicy.Fhir.Facts;

/// <summary>
/// An order read from its JSON by <see cref="OrderJsonReader"/>: a Firely resource holding only the
/// elements the facts and the coverage annotation use, and why the first of those that breaks FHIR
/// R4 was left out, if one did.
/// </summary>
/// <param name="Defect">Null when every element read was valid; otherwise the problem, naming the element.</param>
public sealed record OrderJson<T>(T Resource, string? Defect) where T : Resource;
