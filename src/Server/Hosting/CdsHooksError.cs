using System.Text.Json;

namespace SpinePolicy.Server.Hosting;

/// <summary>
/// The body of every CDS Hooks refusal: a stable code, a sentence that says what was wrong, and
/// the same problem as a FHIR OperationOutcome (Firely-serialized).
/// </summary>
internal sealed record CdsHooksError(string Error, string Message, JsonElement? OperationOutcome);
