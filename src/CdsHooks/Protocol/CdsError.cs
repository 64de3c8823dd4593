using System.Text.Json;

namespace SpinePolicy.CdsHooks.Protocol;

/// <summary>
/// The body of every 4xx the service returns: a stable code, a sentence that says what was wrong,
/// and, when a FHIR resource was the problem, an OperationOutcome (FhirJson-serialized).
/// </summary>
internal sealed record CdsError(string Error, string Message, JsonElement? OperationOutcome = null);
