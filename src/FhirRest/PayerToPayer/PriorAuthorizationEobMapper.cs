using Hl7.Fhir.Model;
using SpinePolicy.FhirRest.Rest;

namespace SpinePolicy.FhirRest.PayerToPayer;

/// <summary>
/// A PAS ClaimResponse (and its Claim) as a PDex prior-authorization ExplanationOfBenefit
/// (use = preauthorization). The PDex package is not available here, so the result follows the
/// profile by its canonical URL and is checked against base R4 only.
/// </summary>
internal static class PriorAuthorizationEobMapper
{
    public static ExplanationOfBenefit Map(ClaimResponse response, Claim? claim)
    {
        var eob = new ExplanationOfBenefit
        {
            Id = response.Id,
            Meta = new Meta { Profile = [Rest.FhirRestResourceTypes.PdexPriorAuthorizationProfile], LastUpdated = response.Meta?.LastUpdated },
            Identifier = [.. response.Identifier.Select(i => (Identifier)i.DeepCopy())],
            Status = response.Status switch
            {
                FinancialResourceStatusCodes.Cancelled => ExplanationOfBenefit.ExplanationOfBenefitStatus.Cancelled,
                FinancialResourceStatusCodes.Draft => ExplanationOfBenefit.ExplanationOfBenefitStatus.Draft,
                FinancialResourceStatusCodes.EnteredInError => ExplanationOfBenefit.ExplanationOfBenefitStatus.EnteredInError,
                _ => ExplanationOfBenefit.ExplanationOfBenefitStatus.Active,
            },
            Type = (CodeableConcept?)(response.Type ?? claim?.Type)?.DeepCopy() ?? new CodeableConcept("http://terminology.hl7.org/CodeSystem/claim-type", "professional"),
            Use = ClaimUseCode.Preauthorization,
            Patient = (ResourceReference)response.Patient.DeepCopy(),
            Created = response.Created ?? claim?.Created,
            Insurer = (ResourceReference?)(response.Insurer ?? claim?.Insurer)?.DeepCopy() ?? new ResourceReference { Display = "Insurer not recorded" },
            Provider = (ResourceReference?)(claim?.Provider ?? response.Requestor)?.DeepCopy() ?? new ResourceReference { Display = "Provider not recorded" },
            Outcome = response.Outcome,
            Disposition = response.Disposition,
            Claim = response.Request is { } request ? (ResourceReference)request.DeepCopy() : null,
            ClaimResponse = new ResourceReference("ClaimResponse/" + response.Id),
            PreAuthRef = response.PreAuthRef is { } preAuthRef ? [preAuthRef] : [],
            PreAuthRefPeriod = response.PreAuthPeriod is { } period ? [(Period)period.DeepCopy()] : [],
            Insurance = Insurance(response, claim),
        };

        foreach (var item in response.Item)
        {
            var claimItem = claim?.Item.FirstOrDefault(i => i.Sequence == item.ItemSequence);
            eob.Item.Add(new ExplanationOfBenefit.ItemComponent
            {
                Sequence = item.ItemSequence,
                ProductOrService = (CodeableConcept?)claimItem?.ProductOrService?.DeepCopy() ?? new CodeableConcept { Text = "Service not recorded" },
                Serviced = (DataType?)claimItem?.Serviced?.DeepCopy(),
                Quantity = (Quantity?)claimItem?.Quantity?.DeepCopy(),
                // PAS item and adjudication extensions are defined for ClaimResponse only (their
                // context forbids EOB), so the X12 review action travels as the adjudication reason.
                Adjudication = [.. item.Adjudication.Select(a => new ExplanationOfBenefit.AdjudicationComponent
                {
                    Category = (CodeableConcept)a.Category.DeepCopy(),
                    Reason = (CodeableConcept?)a.Reason?.DeepCopy() ?? PriorAuthorizationStatus.ReviewAction(a),
                    Amount = (Money?)a.Amount?.DeepCopy(),
                    Value = a.Value,
                })],
            });
        }

        return eob;
    }

    private static List<ExplanationOfBenefit.InsuranceComponent> Insurance(ClaimResponse response, Claim? claim)
    {
        if (claim?.Insurance.Count > 0)
        {
            return [.. claim.Insurance.Select(i => new ExplanationOfBenefit.InsuranceComponent { Focal = i.Focal, Coverage = (ResourceReference)i.Coverage.DeepCopy() })];
        }

        if (response.Insurance.Count > 0)
        {
            return [.. response.Insurance.Select(i => new ExplanationOfBenefit.InsuranceComponent { Focal = i.Focal, Coverage = (ResourceReference)i.Coverage.DeepCopy() })];
        }

        // R4 requires insurance; say plainly that the coverage was not recorded.
        return [new ExplanationOfBenefit.InsuranceComponent { Focal = true, Coverage = new ResourceReference { Display = "Coverage not recorded" } }];
    }
}
