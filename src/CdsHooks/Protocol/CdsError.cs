using System.Text.Json;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Http;
using OperationOutcome = Hl7.Fhir.Model.OperationOutcome;

namespace SpinePolicy.CdsHooks.Protocol;

/// <summary>
/// The body of every 4xx and 5xx under /cds-services: a stable code, a sentence that says what was
/// wrong, and the same problem as an OperationOutcome (FhirJson-serialized; the issue naming the
/// element at fault when a FHIR resource was the problem). Public because the host writes its own
/// refusals under /cds-services (no route, wrong method, limits) with this same type, so that a
/// client parses one shape whoever refused it. Serialize it with <see cref="CdsJson.Options"/>.
/// </summary>
public sealed record CdsError(string Error, string Message, JsonElement OperationOutcome)
{
    /// <summary>
    /// A refusal with <paramref name="outcome"/>, or, when there is none, one error issue saying
    /// the message with the issue type the status implies: the OperationOutcome is never missing.
    /// </summary>
    public static CdsError For(int status, string error, string message, OperationOutcome? outcome = null)
    {
        outcome ??= OperationOutcomes.Error(FhirHttpException.IssueTypeFor(status), message);
        using var document = JsonDocument.Parse(FhirJson.SerializeToUtf8Bytes(outcome));
        return new CdsError(error, message, document.RootElement.Clone());
    }
}
