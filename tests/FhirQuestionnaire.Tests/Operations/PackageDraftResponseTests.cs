using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.FhirQuestionnaire.Tests.Support;
using SpinePolicy.TestKit.Validation;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirQuestionnaire.Tests.Operations;

/// <summary>
/// DTR 2.0.1 $questionnaire-package: every Bundle SHALL carry a draft QuestionnaireResponse for its
/// Questionnaire, with the subject and the Coverage and order as context, even when the payer can
/// pre-fill nothing; the outcome says what was not pre-filled.
/// </summary>
[Collection(DtrAppCollection.Name)]
public sealed class PackageDraftResponseTests(DtrAppFixture fixture)
{
    private const string Bvna = "https://spinepolicy.example.org/fhir/Questionnaire/bvna-097";
    private const string Esi = "https://spinepolicy.example.org/fhir/Questionnaire/esi-097";
    private const string Facet = "https://spinepolicy.example.org/fhir/Questionnaire/facet-097";

    [Fact]
    public async Task Package_ForAnOrderWithoutAPatientInReferenced_HasADraftForTheBeneficiaryAndSaysTheAgeWasNotPrefilled()
    {
        var input = PackageRequests.For(PackageRequests.Coverage("draft-1"), ("order", PackageRequests.Order("esi-order", "draft-1", "62323")));

        var reply = await FhirHttp.PostAsync(fixture.Client, PackageRequests.Path, input);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        var output = reply.As<Parameters>();
        var bundle = Assert.Single(PackageRequests.Bundles(output));
        var draft = DraftOf(bundle);
        Assert.Equal("Patient/draft-1", draft.Subject?.Reference);
        Assert.Equal(["Coverage/coverage-draft-1", "ServiceRequest/esi-order"], Contexts(draft));
        var age = Assert.Single(QuestionnairePackageTests.Flatten(draft.Item), i => i.LinkId == DtrCanonicals.MemberAgeLinkId);
        Assert.Empty(age.Answer);
        Assert.Contains(PackageRequests.OutcomeOf(output)!.Issue, i => (i.Diagnostics ?? string.Empty).Contains("the member's age", StringComparison.Ordinal));
        FhirProfileValidation.Shared.AssertConforms(draft, DtrCanonicals.Profiles.QuestionnaireResponse);
    }

    [Fact]
    public async Task Package_ForQuestionnaireCanonicalsOnly_GivesEveryBundleADraftForItsQuestionnaire()
    {
        var input = PackageRequests.For(PackageRequests.Coverage("draft-2"), ("questionnaire", new Canonical(Bvna)), ("questionnaire", new Canonical(Esi)), ("questionnaire", new Canonical(Facet)));

        var reply = await FhirHttp.PostAsync(fixture.Client, PackageRequests.Path, input);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var output = reply.As<Parameters>();
        var bundles = PackageRequests.Bundles(output).ToList();
        Assert.Equal(3, bundles.Count);
        foreach (var bundle in bundles)
        {
            var questionnaire = Assert.IsType<Questionnaire>(bundle.Entry[0].Resource);
            var draft = DraftOf(bundle);
            Assert.Equal($"{questionnaire.Url}|{questionnaire.Version}", draft.Questionnaire);
            Assert.Equal("Patient/draft-2", draft.Subject?.Reference);
            Assert.Contains("Coverage/coverage-draft-2", Contexts(draft));
            FhirProfileValidation.Shared.AssertConforms(draft, DtrCanonicals.Profiles.QuestionnaireResponse);
        }

        Assert.Contains(PackageRequests.OutcomeOf(output)!.Issue, i => (i.Diagnostics ?? string.Empty).Contains("the order", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Package_CoverageWithoutBeneficiaryReference_TakesTheSubjectFromTheOrder()
    {
        var coverage = PackageRequests.Coverage("draft-3");
        coverage.Beneficiary = new ResourceReference { Display = "the member" };
        var input = PackageRequests.For(coverage, ("order", PackageRequests.Order("facet-order", "draft-3-from-order", "64493")));

        var reply = await FhirHttp.PostAsync(fixture.Client, PackageRequests.Path, input);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        Assert.Equal("Patient/draft-3-from-order", DraftOf(Assert.Single(PackageRequests.Bundles(reply.As<Parameters>()))).Subject?.Reference);
    }

    [Fact]
    public async Task Package_TwoOrdersOfOneFamily_NameBothOrdersInOneDraftsContext()
    {
        var input = PackageRequests.For(
            PackageRequests.Coverage("draft-4"),
            ("order", PackageRequests.Order("facet-1", "draft-4", "64490")),
            ("order", PackageRequests.Order("facet-2", "draft-4", "64493")));

        var reply = await FhirHttp.PostAsync(fixture.Client, PackageRequests.Path, input);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        var draft = DraftOf(Assert.Single(PackageRequests.Bundles(reply.As<Parameters>())));
        Assert.Equal(["Coverage/coverage-draft-4", "ServiceRequest/facet-1", "ServiceRequest/facet-2"], Contexts(draft));
    }

    internal static QuestionnaireResponse DraftOf(Bundle bundle)
    {
        var draft = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<QuestionnaireResponse>());
        Assert.Equal(QuestionnaireResponse.QuestionnaireResponseStatus.InProgress, draft.Status);
        return draft;
    }

    private static List<string?> Contexts(QuestionnaireResponse draft) =>
        draft.Extension.Where(e => e.Url == DtrCanonicals.Extensions.QrContext).Select(e => (e.Value as ResourceReference)?.Reference).ToList();
}
