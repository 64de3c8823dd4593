using Hl7.Fhir.Model;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit.Validation;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>What $submit and $inquire answer validates against PAS 2.0.1 with zero errors, for every kind of decision.</summary>
[Collection(PasCollection.Name)]
public sealed class ResponseConformanceTests(PasHostFixture fixture)
{
    private readonly PasHost _host = fixture.Host;

    public static TheoryData<string, string, string> Cases => new()
    {
        // name, plan, CPT; answers decide the rest.
        { "certified", "MGB-COMMERCIAL", "64628" },
        { "not-certified", "MGB-COMMERCIAL", "64628-radicular" },
        { "pended", "MGB-COMMERCIAL", "64628-missing" },
        { "not-payable", "MGB-MASSHEALTH-ACO", "64628" },
        { "no-authorization-required", "MGB-MEDICARE-ADVANTAGE", "64490" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SubmitResponse_EveryKindOfDecision_ConformsToPasResponseBundleAndClaimResponse(string name, string plan, string line)
    {
        var request = new PasRequestBuilder { Plan = plan };
        var cpt = line.Split('-')[0];
        request.Line(cpt);
        var answers = Answers.AllMet(cpt == "64490" ? "facet" : "bvna");
        if (line.EndsWith("radicular", StringComparison.Ordinal))
        {
            answers.Set("bvna-radicular-pain", true);
        }
        else if (line.EndsWith("missing", StringComparison.Ordinal))
        {
            answers.Remove("bvna-bmi");
        }

        request.WithAnswers(_host.Fill(answers));
        var answer = await _host.SubmitAsync(request.Build());

        Assert.NotNull(name);
        var bundle = answer.Bundle;
        FhirProfileValidation.Shared.AssertConforms(bundle, PasCodes.ResponseBundleProfile);
        FhirProfileValidation.Shared.AssertConforms(answer.ClaimResponse, PasCodes.ClaimResponseProfile);
        ConformanceChecks.AssertFullUrlsMatchIds(bundle);
        ConformanceChecks.AssertReferencesResolveInBundle(bundle);
    }

    [Fact]
    public async Task InquiryResponse_ConformsToPasInquiryResponseBundle()
    {
        var request = new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna")));
        await _host.SubmitAsync(request.Build());

        var answer = await _host.InquireAsync(SubmitRecordTests.InquiryFor(request));

        FhirProfileValidation.Shared.AssertConforms(answer.Bundle, PasCodes.InquiryResponseBundleProfile);
        FhirProfileValidation.Shared.AssertConforms(answer.ClaimResponse, PasCodes.ClaimInquiryResponseProfile);
        ConformanceChecks.AssertReferencesResolveInBundle(answer.Bundle);
    }
}
