using Hl7.Fhir.Model;
using SpinePolicy.Storage.Auditing;

namespace SpinePolicy.PriorAuthorization.Http;

/// <summary>
/// Names the members and decisions of a PAS exchange for its audit record, from the Bundles the
/// endpoint has parsed or built already: the Claim's patient and every Patient in the request,
/// and the ClaimResponse (and its patient) in the answer.
/// </summary>
internal static class PasAuditSubjects
{
    public static void FromRequest(AuditSubjects? audit, Bundle request)
    {
        if (audit is null)
        {
            return;
        }

        foreach (var resource in request.Entry.Select(e => e.Resource))
        {
            switch (resource)
            {
                case Patient patient:
                    audit.AddPatient(patient.Id);
                    break;
                case Claim claim:
                    audit.AddPatientReference(claim.Patient?.Reference);
                    break;
            }
        }
    }

    public static void FromAnswer(AuditSubjects? audit, Bundle answer)
    {
        if (audit is not null && answer.Entry.FirstOrDefault()?.Resource is ClaimResponse response)
        {
            audit.AddDecision($"ClaimResponse/{response.Id}");
            audit.AddPatientReference(response.Patient?.Reference);
        }
    }
}
