using Hl7.Fhir.Model;
using SpinePolicy.FhirRest.PayerToPayer;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using SpinePolicy.TestKit.Validation;

namespace SpinePolicy.FhirRest.Tests.PayerToPayer;

/// <summary>The $member-match requests the tests send are real HRex 1.0.0 requests, so passing tests mean something.</summary>
public sealed class MemberMatchFixtureTests
{
    [Fact]
    public void MemberMatchRequest_AsTestsSendIt_ConformsToHrexInputProfile()
    {
        var memberPatient = FhirData.Patient("Nguyen", "Lan", "1958-07-14");
        var parameters = FhirData.MemberMatch(memberPatient, FhirData.CardCoverage("M-123"), FhirData.CurrentConsent());

        var result = FhirProfileValidation.Shared.Validate(parameters, PayerToPayerEndpoints.MemberMatchInProfile);

        Assert.True(result.Conforms, result.DescribeErrors());
    }
}
