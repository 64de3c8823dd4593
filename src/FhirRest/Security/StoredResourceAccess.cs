using SpinePolicy.Fhir.Security;
using SpinePolicy.Fhir.Http;
using SpinePolicy.FhirRest.PayerToPayer;
using SpinePolicy.FhirRest.Rest;
using SpinePolicy.Storage;

namespace SpinePolicy.FhirRest.Security;

/// <summary>
/// Who may read, search and write which stored resources on the generic routes (the table in
/// docs/security.md). This payer's staff applications (reviewer, back office) read everything; a
/// provider reads the PAS records its own organization submitted (filed under its
/// <see cref="OwnerTag"/>); another payer reads the Patient records of members it matched with
/// consent, by id only; nobody else reads stored data. Only the back office writes, and only the
/// member roster: decisions are written by the decision paths, never here.
/// </summary>
internal sealed class StoredResourceAccess(PayerToPayerGrants grants, TimeProvider time)
{
    /// <summary>Stored PAS records, filed under the provider organization that submitted them.</summary>
    private static readonly HashSet<string> ProviderOwnedTypes = new(StringComparer.Ordinal) { "Claim", "ClaimResponse", "QuestionnaireResponse" };

    /// <summary>
    /// The organization a search of <paramref name="type"/> by this caller is limited to: none for
    /// this payer's staff, the provider's own for the records providers own; anyone else may not
    /// search the type at all (403).
    /// </summary>
    public static string? OwnerFilter(FhirCaller caller, string type)
    {
        if (caller.IsPayerStaff)
        {
            return null;
        }

        if (caller.IsProvider && ProviderOwnedTypes.Contains(type))
        {
            return caller.OwnerKey;
        }

        throw FhirHttpException.Forbidden(caller.Role == ClientRole.PayerPartner && type == "Patient"
            ? "Another payer does not search this payer's members: run Patient/$member-match, then read Patient/{id} or search ExplanationOfBenefit for the member it matched."
            : $"This client may not search {type} (docs/security.md lists who may see what).");
    }

    /// <summary>Refuses (403) a caller who may read no resource of this type at all, before anything is looked up.</summary>
    public static void EnsureMayReadType(FhirCaller caller, string type)
    {
        if (caller.IsPayerStaff
            || (caller.IsProvider && ProviderOwnedTypes.Contains(type))
            || (caller.Role == ClientRole.PayerPartner && type == "Patient"))
        {
            return;
        }

        throw FhirHttpException.Forbidden($"This client may not read {type} (docs/security.md lists who may see what).");
    }

    /// <summary>
    /// Whether the caller may see this stored resource. What is not theirs is answered exactly as
    /// if it did not exist (404), so nobody can probe for another organization's requests.
    /// </summary>
    public async Task<bool> MaySeeAsync(FhirCaller caller, StoredResource stored, CancellationToken cancellationToken)
    {
        if (caller.IsPayerStaff)
        {
            return true;
        }

        if (caller.IsProvider && ProviderOwnedTypes.Contains(stored.ResourceType))
        {
            return caller.MaySee(OwnerTag.Of(StoredResources.ToResource(stored)));
        }

        return caller.Role == ClientRole.PayerPartner && stored.ResourceType == "Patient" && caller.ClientId is not null
            && await grants.IsGrantedAsync(PartnerKey.Of(caller), stored.Id, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Only this payer's back office writes, and only the member roster (the catalog serves no other writes).</summary>
    public static void EnsureMayWrite(FhirCaller caller, string type)
    {
        if (!(caller.Unrestricted || caller.Role == ClientRole.PayerAdministration))
        {
            throw FhirHttpException.Forbidden($"Only this payer's back office writes {type} (the member roster); this client may not.");
        }
    }
}
