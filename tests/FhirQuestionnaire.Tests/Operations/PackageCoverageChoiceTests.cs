using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Tests.Support;
using SpinePolicy.TestKit;

namespace SpinePolicy.FhirQuestionnaire.Tests.Operations;

/// <summary>
/// DTR's $questionnaire-package takes any number of Coverages: a member insured by this payer and by
/// another may come with both, in either order. The package is for this payer's Coverage, as a CRD
/// hook answers for ours; one with only another payer's Coverage is refused as before.
/// </summary>
public sealed class PackageCoverageChoiceTests
{
    private const string OurPayor = "Organization/our-plan";

    private static Coverage CoverageOf(string patientId, string id, string payor, string plan)
    {
        var coverage = PackageRequests.Coverage(patientId, plan);
        coverage.Id = id;
        coverage.Payor = [new ResourceReference(payor)];
        return coverage;
    }

    [Fact]
    public async System.Threading.Tasks.Task Package_AnotherPayersCoverageSentFirst_IsForOurs()
    {
        using var app = new SpinePolicyApp(new Dictionary<string, string?> { ["MemberCoverage:PayorIdentifiers:0"] = OurPayor });
        using var client = app.CreateFhirClient();
        var input = PackageRequests.For(CoverageOf("two-payers", "cov-other", "Organization/other-payer", "OTHER-PLAN"),
            ("coverage", CoverageOf("two-payers", "cov-ours", OurPayor, "MGB-COMMERCIAL")),
            ("order", PackageRequests.Order("bvna-order", "two-payers", "64628")));

        var reply = await FhirHttp.PostAsync(client, PackageRequests.Path, input);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        var draft = PackageDraftResponseTests.DraftOf(Assert.Single(PackageRequests.Bundles(reply.As<Parameters>())));
        Assert.Contains(draft.Extension, e => (e.Value as ResourceReference)?.Reference == "Coverage/cov-ours");
        Assert.DoesNotContain("cov-other", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task Package_OnlyAnotherPayersCoverage_IsRefused()
    {
        using var app = new SpinePolicyApp(new Dictionary<string, string?> { ["MemberCoverage:PayorIdentifiers:0"] = OurPayor });
        using var client = app.CreateFhirClient();
        var input = PackageRequests.For(CoverageOf("other-only", "cov-other", "Organization/other-payer", "MGB-COMMERCIAL"),
            ("order", PackageRequests.Order("bvna-order", "other-only", "64628")));

        var reply = await FhirHttp.PostAsync(client, PackageRequests.Path, input);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
        Assert.Contains("not this payer", reply.Body, StringComparison.Ordinal);
    }
}
