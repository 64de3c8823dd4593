using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using SpinePolicy.Fhir.Http;
using SpinePolicy.FhirRest.Rest;
using SpinePolicy.Storage;

namespace SpinePolicy.FhirRest.PayerToPayer;

/// <summary>
/// A member's prior authorizations for a payer-to-payer client (CMS-0057-F): preauthorization
/// ClaimResponses that are active or changed within the last year, denied ones left out.
/// </summary>
internal sealed class PriorAuthorizationEobs(IResourceStore store, IOptions<PayerToPayerOptions> options, TimeProvider time)
{
    private const int PageSize = 200;

    public async Task<IReadOnlyList<ExplanationOfBenefit>> ForMemberAsync(string patientId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var changedSince = now.AddDays(-options.Value.ChangedWithinDays);
        var result = new List<ExplanationOfBenefit>();
        string? after = null;
        do
        {
            var page = await store.SearchAsync(new ResourceSearch("ClaimResponse") { PatientIds = [patientId], Count = PageSize, After = after }, cancellationToken);
            foreach (var stored in page.Resources.Where(r => !r.Deleted))
            {
                var response = StoredResources.ToResource<ClaimResponse>(stored);
                if (response.Use != ClaimUseCode.Preauthorization
                    || response.Status == FinancialResourceStatusCodes.EnteredInError
                    || PriorAuthorizationStatus.IsDenied(response)
                    || !(PriorAuthorizationStatus.IsActive(response, now) || stored.LastUpdated >= changedSince))
                {
                    continue;
                }

                result.Add(PriorAuthorizationEobMapper.Map(response, await ClaimOfAsync(response, cancellationToken)));
            }

            after = page.Next;
        }
        while (after is not null);

        return result;
    }

    private async Task<Claim?> ClaimOfAsync(ClaimResponse response, CancellationToken cancellationToken)
    {
        var reference = response.Request?.Reference;
        if (reference is null)
        {
            return null;
        }

        var segments = reference.Split('/');
        if (segments.Length < 2 || segments[^2] != "Claim" || !FhirIds.IsValid(segments[^1]))
        {
            return null;
        }

        var stored = await store.ReadAsync("Claim", segments[^1], cancellationToken);
        return stored is { Deleted: false } ? StoredResources.ToResource<Claim>(stored) : null;
    }
}
