using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.Fhir.Http;
using SpinePolicy.PolicyEngine;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>
/// Reads a $questionnaire-package request through the shared facts translation: the product line
/// from the Coverage, the beneficiary's birth date from a Patient sent in <c>referenced</c> (or
/// contained in the Coverage), and each order's code, units and date of service.
/// </summary>
internal sealed class PackageFactsReader(MemberCoverageReader coverageReader, OrderFactsReader orderFacts)
{
    /// <summary>
    /// The request for this payer's Coverage: DTR lets the client send several, and a member insured
    /// by two payers may come with both. Another payer's is set aside, as CRD sets it aside; with
    /// none of ours the first stays, and is refused as another payer's.
    /// </summary>
    public PackageRequest ForThisPayer(PackageRequest request) =>
        request.Coverages.FirstOrDefault(c => coverageReader.ReadProductLine(c).Status != ProductLineStatus.ForeignPayer) is { } ours
            ? request with { Coverage = ours }
            : request;

    public PackageFacts Read(PackageRequest request)
    {
        var productLine = coverageReader.ReadProductLine(request.Coverage);
        if (productLine.Status != ProductLineStatus.Found)
        {
            throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.BusinessRule, $"Unknown coverage: {productLine.Problem}");
        }

        var orders = request.Orders
            .Select(order => orderFacts.Read(order, $"{order.TypeName}/{order.Id}"))
            .OfType<OrderedService>()
            .ToList();
        var age = PatientFacts.AgeOf(PatientOf(request), "Patient");
        PatientFacts.CheckBornBy(age, orders, "Patient.birthDate");
        return new PackageFacts(productLine.ProductLine!, age, orders) { Term = CoverageFields.Of(request.Coverage).Term };
    }

    /// <summary>The beneficiary: the Patient the Coverage names among those sent, else the only one sent.</summary>
    public static Patient? PatientOf(PackageRequest request)
    {
        var reference = request.Coverage.Beneficiary?.Reference;
        var patients = request.Referenced.OfType<Patient>()
            .Concat(request.Coverage.Contained.OfType<Patient>())
            .ToList();
        return patients.FirstOrDefault(p => reference is not null && (reference == $"Patient/{p.Id}" || reference == $"#{p.Id}"))
            ?? (patients.Count == 1 ? patients[0] : null);
    }
}
