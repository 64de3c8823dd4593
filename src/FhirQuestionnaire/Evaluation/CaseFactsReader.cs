using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.Fhir.Http;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Document;
using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.FhirQuestionnaire.Evaluation;

/// <summary>
/// Reads the member and order facts a QuestionnaireResponse carries, through the shared facts
/// translation: its DTR qr-context references (a contained Coverage gives the product line,
/// contained ServiceRequests and DeviceRequests the orders), the subject Patient's birth date when
/// the response contains it, else the member-age answer. Nothing is invented: what is not there is
/// null, and the evaluator then assesses the criteria only.
/// </summary>
internal sealed class CaseFactsReader(Policy policy, MemberCoverageReader coverageReader, OrderFactsReader orderFacts)
{
    public CaseFacts Read(QuestionnaireResponse response, ServiceFamilyDefinition family, IReadOnlyList<QuestionnaireResponse.ItemComponent> answeredItems)
    {
        string? productLine = null;
        CoverageTerm? term = null;
        string? coverageReference = null;
        string? orderReference = null;
        var orders = new List<OrderedService>();
        foreach (var context in response.Extension.Where(e => e.Url == DtrCanonicals.Extensions.QrContext))
        {
            if (context.Value is not ResourceReference { Reference: { } reference })
            {
                continue;
            }

            if (ResponseQuestionnaire.Contained<Coverage>(response, reference) is { } coverage)
            {
                coverageReference ??= reference;
                productLine ??= ProductLineOf(coverage);
                term ??= CoverageFields.Of(coverage).Term;
            }
            else if (reference.StartsWith("Coverage/", StringComparison.Ordinal))
            {
                coverageReference ??= reference;
            }
            else if (ResponseQuestionnaire.Contained<Resource>(response, reference) is (ServiceRequest or DeviceRequest) and { } contained)
            {
                if (orderFacts.Read(contained, reference) is { } order)
                {
                    orders.Add(order);
                }
            }
            else if (!reference.StartsWith('#'))
            {
                orderReference ??= reference;
            }
        }

        var primary = orders.FirstOrDefault(o => policy.FamilyOf(o.CptCode)?.Code == family.Code);
        if (primary is not null)
        {
            orderReference = primary.OrderId;
        }

        var dateOfService = primary?.DateOfService ?? orders.FirstOrDefault()?.DateOfService ?? orderFacts.Today;
        var age = AgeOf(response, answeredItems);
        // A member born after the date of service is refused, as CRD and PAS refuse it.
        PatientFacts.CheckBornBy(age, orders, BirthDatePath);
        PatientFacts.CheckBornBy(age, dateOfService, orderReference ?? "the request", BirthDatePath);
        return new CaseFacts(productLine, age, primary, orders, coverageReference, orderReference, dateOfService) { Term = term ?? CoverageTerm.Open };
    }

    private string ProductLineOf(Coverage coverage)
    {
        var result = coverageReader.ReadProductLine(coverage);
        return result.Status == ProductLineStatus.Found
            ? result.ProductLine!
            : throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.BusinessRule, result.Problem ?? "The Coverage is not one of this payer's.");
    }

    private const string PatientPath = "QuestionnaireResponse.contained.Patient";
    private const string BirthDatePath = $"{PatientPath}.birthDate";

    /// <summary>The subject's birth date when the response contains the Patient; else the age the form states.</summary>
    private static AgeFacts AgeOf(QuestionnaireResponse response, IReadOnlyList<QuestionnaireResponse.ItemComponent> answeredItems)
    {
        if (ResponseQuestionnaire.Contained<Patient>(response, response.Subject?.Reference) is { BirthDateElement: not null } patient)
        {
            return PatientFacts.AgeOf(patient, PatientPath);
        }

        var ageItem = answeredItems.FirstOrDefault(i => i.LinkId == DtrCanonicals.MemberAgeLinkId);
        if (ageItem?.Answer.FirstOrDefault()?.Value is Integer { Value: { } age })
        {
            return age >= 0 ? AgeFacts.Stated(age) : throw FhirHttpException.BadRequest("The member's age must not be negative.", $"QuestionnaireResponse.item.where(linkId = '{DtrCanonicals.MemberAgeLinkId}')");
        }

        return AgeFacts.Unknown;
    }
}
