using Hl7.Fhir.Model;
using SpinePolicy.Fhir.Http;
using SpinePolicy.PolicyEngine;

namespace SpinePolicy.Fhir.Facts;

/// <summary>
/// Which service a coded order is (P2), read the same way from ServiceRequest.code, DeviceRequest.code
/// and Claim.item.productOrService. The codings of one CodeableConcept are ways of naming one
/// service, so: the one CPT code the policy governs among them (an E/M code sent beside 64628 does
/// not make it another service); else the first CPT code; else the first code of any system, as
/// "system|code". Two different governed CPT codes in one concept name two services at once: the
/// order is refused rather than decided for either.
/// </summary>
public static class ServiceCode
{
    /// <summary>The service code, or null when the concept carries no code at all. Governed means by any version of the policy.</summary>
    public static string? Of(CodeableConcept? concept, PolicyTimeline policy, string element)
    {
        if (concept is null)
        {
            return null;
        }

        string? governed = null;
        string? firstCpt = null;
        string? firstOther = null;
        foreach (var coding in concept.Coding)
        {
            if (coding.Code?.Trim() is not { Length: > 0 } code)
            {
                continue;
            }

            if (coding.System == policy.Current.Document.CptSystem)
            {
                firstCpt ??= code;
                if (policy.Governs(code))
                {
                    if (governed is not null && governed != code)
                    {
                        throw FhirHttpException.BadRequest($"{element} names two services the policy governs, CPT {governed} and CPT {code}; send one order per service.", element);
                    }

                    governed = code;
                }
            }
            else
            {
                firstOther ??= string.IsNullOrEmpty(coding.System) ? code : $"{coding.System}|{code}";
            }
        }

        return governed ?? firstCpt ?? firstOther;
    }
}
