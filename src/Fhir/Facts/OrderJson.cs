using Hl7.Fhir.Model;

namespace SpinePolicy.Fhir.Facts;

/// <summary>
/// An order read from its JSON by <see cref="OrderJsonReader"/>: a Firely resource holding only the
/// elements the facts and the coverage annotation use, and why the first of those that breaks FHIR
/// R4 was left out, if one did.
/// </summary>
/// <param name="FirstDefect">Null when every element read was valid; otherwise the first problem, naming the element.</param>
/// <param name="IdentityDefect">
/// A defect in an element that says what is ordered or for whom — a ServiceRequest's code or
/// subject; an Appointment's basedOn, its contained resources, a contained order's code or subject.
/// With one, nobody can tell whether a policy governs the order or whose it is, so a reader must
/// refuse the order whatever it seems to be (a payer never answers "no authorization needed"
/// because it could not read the code).
/// </param>
public sealed record OrderJson<T>(T Resource, ElementDefect? FirstDefect, ElementDefect? IdentityDefect = null) where T : Resource
{
    /// <summary>The first defect's message (null when there is none).</summary>
    public string? Defect => FirstDefect?.Message;
}
