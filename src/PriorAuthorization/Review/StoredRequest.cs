using Hl7.Fhir.Model;
using SpinePolicy.PriorAuthorization.Records;
using SpinePolicy.PriorAuthorization.Submission;

namespace SpinePolicy.PriorAuthorization.Review;

/// <summary>
/// The parts of a stored request a reviewer looks at, found in the request Bundle as received. It
/// tolerates what the submit path tolerated (a missing name, a missing Coverage): a pended request
/// must never drop out of the queue because it is hard to display.
/// </summary>
public sealed record StoredRequest(Claim Claim, Patient? Patient, Coverage? Coverage, IReadOnlyList<QuestionnaireResponse> QuestionnaireResponses)
{
    public static StoredRequest Of(PasRecord record)
    {
        var bundle = record.Request;
        var claimEntry = bundle.Entry[0];
        var claim = (Claim)claimEntry.Resource!;
        var resolver = new BundleReferenceResolver(bundle);
        var patient = resolver.ResolveResource(claim.Patient, claimEntry, claim) as Patient;
        var focal = claim.Insurance.FirstOrDefault(i => i.Focal == true) ?? claim.Insurance.FirstOrDefault();
        var coverage = resolver.ResolveResource(focal?.Coverage, claimEntry, claim) as Coverage;
        var responses = claim.SupportingInfo
            .Select(info => resolver.ResolveResource(info.Value as ResourceReference, claimEntry, claim))
            .OfType<QuestionnaireResponse>()
            .ToList();
        return new StoredRequest(claim, patient, coverage, responses);
    }

    /// <summary>The member's name as a reviewer reads it ("Alex Testmember"), or a placeholder.</summary>
    public string MemberName
    {
        get
        {
            var name = Patient?.Name.FirstOrDefault(n => n.Use is null or HumanName.NameUse.Official or HumanName.NameUse.Usual) ?? Patient?.Name.FirstOrDefault();
            if (name is null)
            {
                return "(no name given)";
            }

            if (!string.IsNullOrWhiteSpace(name.Text))
            {
                return name.Text;
            }

            var parts = name.Given.Append(name.Family).Where(p => !string.IsNullOrWhiteSpace(p));
            var joined = string.Join(' ', parts);
            return joined.Length > 0 ? joined : "(no name given)";
        }
    }

    public string ClaimIdentifier => Claim.Identifier.FirstOrDefault()?.Value ?? "(no identifier)";

    /// <summary>The service code of the Claim item with this sequence (CPT), if any.</summary>
    public string? CodeOf(int sequence) =>
        Claim.Item.FirstOrDefault(i => i.Sequence == sequence)?.ProductOrService?.Coding.FirstOrDefault()?.Code;
}
