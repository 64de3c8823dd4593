using Hl7.Fhir.Model;

namespace SpinePolicy.PriorAuthorization.Submission;

/// <summary>The response Bundle, and whether this call created the record (false: an idempotent repeat).</summary>
internal sealed record SubmitOutcome(Bundle ResponseBundle, string RecordId, bool Created);
