using Hl7.Fhir.Model;
using SpinePolicy.FhirRest.Rest;
using SpinePolicy.Storage;

namespace SpinePolicy.FhirRest.PayerToPayer;

/// <summary>
/// Which requesting payer may read which member's prior authorizations, and until when: the
/// Consent of a successful $member-match, stored (one per client and member, under a unique key)
/// so that it survives restarts and every instance sees it. The client is its
/// <see cref="PartnerKey"/> (issuer and client id), never the client id alone.
/// </summary>
internal sealed class PayerToPayerGrants(IResourceStore store)
{
    /// <summary>Identifies a grant's Consent: value "{partner}|{patientId}".</summary>
    public const string GrantIdentifierSystem = "https://spinepolicy.example.org/fhir/sid/payer-to-payer-grant";

    public static string UniqueKey(string partner, string patientId) => $"p2p-grant|{partner}|{patientId}";

    /// <summary>Stores the consent against our member (replacing an earlier grant of the same client).</summary>
    public async Task<StoredResource> RecordAsync(string partner, string patientId, Consent consent, CancellationToken cancellationToken)
    {
        var grant = (Consent)consent.DeepCopy();
        grant.Patient = new ResourceReference("Patient/" + patientId);
        grant.Identifier = [new Identifier(GrantIdentifierSystem, $"{partner}|{patientId}")];
        grant.Contained.Clear();

        var key = UniqueKey(partner, patientId);
        var existing = await store.FindByUniqueKeyAsync("Consent", key, cancellationToken);
        grant.Id = existing?.Id;
        var saved = await store.SaveAsync([new ResourceWrite(grant, key, existing?.VersionId)], cancellationToken);
        return saved[0];
    }

    /// <summary>True when this partner holds a consent for this member that covers <paramref name="now"/>.</summary>
    public async Task<bool> IsGrantedAsync(string partner, string patientId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stored = await store.FindByUniqueKeyAsync("Consent", UniqueKey(partner, patientId), cancellationToken);
        if (stored is null || stored.Deleted)
        {
            return false;
        }

        var consent = StoredResources.ToResource<Consent>(stored);
        return consent.Status == Consent.ConsentState.Active
            && consent.Provision is { } provision
            && ConsentEvaluator.Period(provision) is { } period
            && now >= period.Start && now <= period.End;
    }
}
