using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.FhirQuestionnaire.Tests.Authoring;
using SpinePolicy.FhirQuestionnaire.Tests.Decisions;
using SpinePolicy.FhirQuestionnaire.Tests.Support;
using SpinePolicy.TestKit.Validation;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirQuestionnaire.Tests.Conformance;

/// <summary>
/// What we publish and emit validates against DTR 2.0.1 / SDC with zero errors (Firely validator
/// over the vendored packages), plus the checks no profile states.
/// </summary>
[Collection(DtrAppCollection.Name)]
public sealed class ProfileConformanceTests(DtrAppFixture fixture)
{
    private const string BaseCodeSystem = "http://hl7.org/fhir/StructureDefinition/CodeSystem";
    private const string BaseValueSet = "http://hl7.org/fhir/StructureDefinition/ValueSet";

    public static TheoryData<string, string> PublishedFiles() => new()
    {
        { "Questionnaire-bvna-097.json", DtrCanonicals.Profiles.StandardQuestionnaire },
        { "Questionnaire-esi-097.json", DtrCanonicals.Profiles.StandardQuestionnaire },
        { "Questionnaire-facet-097.json", DtrCanonicals.Profiles.StandardQuestionnaire },
        { "Library-spinepolicy-prepopulation.json", DtrCanonicals.Profiles.SdcLibrary },
        { "CodeSystem-policy-097-criteria.json", BaseCodeSystem },
        { "CodeSystem-vertebral-level.json", BaseCodeSystem },
        { "CodeSystem-spinal-region.json", BaseCodeSystem },
        { "ValueSet-vertebral-level.json", BaseValueSet },
        { "ValueSet-spinal-region.json", BaseValueSet },
        { "ValueSet-lumbar-spine-surgery.json", BaseValueSet },
    };

    [Theory]
    [MemberData(nameof(PublishedFiles))]
    public void PublishedArtifact_ValidatedAgainstItsProfile_HasNoErrors(string fileName, string profile)
    {
        var resource = ArtifactFiles.Read<Resource>(fileName);

        FhirProfileValidation.Shared.AssertConforms(resource, profile);
    }

    [Fact]
    public void PrepopulationLibrary_CarriesCqlAndElmJson()
    {
        ConformanceChecks.AssertLibraryCarriesCqlAndElmJson(ArtifactFiles.Read<Library>("Library-spinepolicy-prepopulation.json"));
    }

    [Fact]
    public async Task PackageOutput_ForABvnaOrder_ConformsToTheDtrOutputBundleAndResponseProfiles()
    {
        var input = PackageRequests.For(
            PackageRequests.Coverage("conf-1"),
            ("order", PackageRequests.Order("bvna-order", "conf-1", "64628")),
            ("referenced", PackageRequests.Patient("conf-1", "1979-04-02")),
            ("questionnaire", new Canonical("https://example.org/Questionnaire/unknown")));

        var reply = await FhirHttp.PostAsync(fixture.Client, PackageRequests.Path, input);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var output = reply.As<Parameters>();
        FhirProfileValidation.Shared.AssertConforms(output, DtrCanonicals.Profiles.PackageOutput);
        var bundle = Assert.Single(PackageRequests.Bundles(output));
        FhirProfileValidation.Shared.AssertConforms(bundle, DtrCanonicals.Profiles.PackageBundle);
        ConformanceChecks.AssertCqfLibrariesResolveInBundle(bundle);
        ConformanceChecks.AssertFullUrlsMatchIds(bundle);
        var draft = Assert.IsType<QuestionnaireResponse>(bundle.Entry[^1].Resource);
        FhirProfileValidation.Shared.AssertConforms(draft, DtrCanonicals.Profiles.QuestionnaireResponse);
    }

    [Fact]
    public async Task NextQuestionOutput_InProgressAndCompleted_ConformToTheSdcAdaptiveProfiles()
    {
        var inProgress = await NextAsync(CaseBuilder.ApprovableBvna().Without("bvna-bmi"));
        var completed = await NextAsync(CaseBuilder.ApprovableBvna());

        foreach (var response in new[] { inProgress, completed })
        {
            FhirProfileValidation.Shared.AssertConforms(response, DtrCanonicals.Profiles.AdaptiveResponse);
            FhirProfileValidation.Shared.AssertConforms(Assert.Single(response.Contained.OfType<Questionnaire>()), DtrCanonicals.Profiles.AdaptiveQuestionnaire);
        }
    }

    private async Task<QuestionnaireResponse> NextAsync(CaseBuilder @case)
    {
        var reply = await FhirHttp.PostAsync(fixture.Client, DecisionSteps.NextQuestion, @case.Build());
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.As<QuestionnaireResponse>();
    }
}
