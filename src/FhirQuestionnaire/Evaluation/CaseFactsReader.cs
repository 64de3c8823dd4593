using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.FhirQuestionnaire.Http;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Document;

namespace SpinePolicy.FhirQuestionnaire.Evaluation;

/// <summary>
/// Reads the member and order facts a QuestionnaireResponse carries: its DTR qr-context references
/// (a contained Coverage gives the product line, contained ServiceRequests the CPT codes), the
/// member-age answer or a contained Patient's birth date.
/// </summary>
public sealed class CaseFactsReader(Policy policy, MemberCoverageReader coverageReader, TimeProvider time)
{
    public CaseFacts Read(QuestionnaireResponse response, ServiceFamilyDefinition family, IReadOnlyList<QuestionnaireResponse.ItemComponent> answeredItems)
    {
        string? productLine = null;
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
            }
            else if (reference.StartsWith("Coverage/", StringComparison.Ordinal))
            {
                coverageReference ??= reference;
            }
            else if (ResponseQuestionnaire.Contained<ServiceRequest>(response, reference) is { } order)
            {
                orders.AddRange(OrdersOf(order, reference));
            }
            else if (!reference.StartsWith('#'))
            {
                orderReference ??= reference;
            }
        }

        var primary = orders.FirstOrDefault(o => policy.FamilyOf(o.CptCode)?.Code == family.Code);
        if (primary is null)
        {
            // No order of this family in the response: decide for the family's first code.
            primary = new OrderedService("questionnaire", policy.Document.CodeGroups.First(g => g.Family == family.Code).CptCodes[0]);
            orders.Insert(0, primary);
        }
        else
        {
            orderReference = primary.OrderId;
        }

        var known = productLine is not null;

        // Without a readable Coverage the plan-level rules (P3) cannot be applied: assess the
        // questionnaire's clinical criteria as for a plan on which prior authorization is required.
        productLine ??= policy.ProductLines.FirstOrDefault(l => policy.PriorAuthorizationFor(l.Code, primary.CptCode) == PriorAuthRequirement.Required)?.Code
            ?? policy.ProductLines.First().Code;

        return new CaseFacts(productLine, known, AgeOf(response, answeredItems), primary, orders, coverageReference, orderReference);
    }

    private string ProductLineOf(Coverage coverage)
    {
        var result = coverageReader.ReadProductLine(coverage);
        return result.Status == ProductLineStatus.Found
            ? result.ProductLine!
            : throw new DtrRequestException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.BusinessRule, result.Problem ?? "The Coverage is not one of this payer's.");
    }

    private IEnumerable<OrderedService> OrdersOf(ServiceRequest order, string reference)
    {
        var units = order.Quantity is Quantity { Value: { } q } && q >= 1 ? (int)q : 1;
        foreach (var coding in order.Code?.Coding ?? [])
        {
            if (coding.System == policy.Document.CptSystem && coding.Code is { } code)
            {
                yield return new OrderedService(reference, code, units);
            }
        }
    }

    private int? AgeOf(QuestionnaireResponse response, IReadOnlyList<QuestionnaireResponse.ItemComponent> answeredItems)
    {
        var ageItem = answeredItems.FirstOrDefault(i => i.LinkId == DtrCanonicals.MemberAgeLinkId);
        if (ageItem?.Answer.FirstOrDefault()?.Value is Integer { Value: { } age })
        {
            return age >= 0 ? age : throw new FhirInputException("The member's age must not be negative.");
        }

        var patient = ResponseQuestionnaire.Contained<Patient>(response, response.Subject?.Reference);
        return MemberCoverageReader.AgeInYears(patient, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
    }
}
