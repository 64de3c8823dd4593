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
/// <remarks>
/// A CPT code is five characters. A code under the CPT system that is a governed code with more
/// after it ("64483-50", "64483 RT", "6448350") is refused: read as a code the policy does not
/// govern, it would be answered "no prior authorization needed" for a service the policy does
/// govern once its modifier is taken off. Other codes that are not CPT's shape are left as they
/// are (not governed): an EHR sending a HCPCS code under the CPT system gets the payer's default.
/// </remarks>
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
                if (code.Length > 5 && policy.Governs(code[..5]))
                {
                    throw FhirHttpException.BadRequest($"{element}: '{code}' is not a CPT code: CPT codes are five characters, and CPT {code[..5]} with something after it names no code. A modifier is sent in its own element (Claim.item.modifier), not in the code.", element);
                }

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
