using System.Text.Json;

namespace SpinePolicy.CdsHooks.Protocol;

/// <summary>
/// The body of every 4xx and 5xx the service returns: a stable code, a sentence that says what was
/// wrong, and the same problem as an OperationOutcome (FhirJson-serialized; the issue naming the
/// element at fault when a FHIR resource was the problem). The host writes its own refusals under
/// /cds-services (no route, wrong method, limits) in this shape too.
/// </summary>
internal sealed record CdsError(string Error, string Message, JsonElement OperationOutcome);
