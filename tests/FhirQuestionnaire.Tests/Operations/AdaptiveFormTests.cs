using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.FhirQuestionnaire.Tests.Decisions;
using SpinePolicy.FhirQuestionnaire.Tests.Support;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Validation;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirQuestionnaire.Tests.Operations;

/// <summary>
/// DTR 2.0.1 adaptive forms are discoverable: each standard questionnaire has an adaptive twin
/// (dtr-questionnaire-adapt-search) that a package serves when the request names it or the payer's
/// configuration asks for it, with a draft a DTR app can send straight to $next-question.
/// </summary>
public sealed class AdaptiveFormTests
{
    private const string Bvna = "https://spinepolicy.example.org/fhir/Questionnaire/bvna-097";
    private const string BvnaAdaptive = Bvna + "-adaptive";

    [Fact]
    public async Task Package_NamingTheAdaptiveQuestionnaire_ServesItFirstWithAnAdaptiveDraftThatNextQuestionContinues()
    {
        using var app = new SpinePolicyApp();
        using var client = app.CreateFhirClient();
        var input = PackageRequests.For(
            PackageRequests.Coverage("adapt-1"),
            ("questionnaire", new Canonical(BvnaAdaptive)),
            ("referenced", PackageRequests.Patient("adapt-1", "1970-05-01")));

        var reply = await FhirHttp.PostAsync(client, PackageRequests.Path, input);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        var bundle = Assert.Single(PackageRequests.Bundles(reply.As<Parameters>()));
        var adaptive = Assert.IsType<Questionnaire>(bundle.Entry[0].Resource);
        Assert.Equal(BvnaAdaptive, adaptive.Url);
        Assert.Empty(adaptive.Item);
        Assert.Contains(adaptive.Extension, e => e.Url == DtrCanonicals.Extensions.QuestionnaireAdaptive && e.Value is FhirBoolean { Value: true });
        FhirProfileValidation.Shared.AssertConforms(adaptive, DtrCanonicals.Profiles.AdaptiveSearchQuestionnaire);
        ConformanceChecks.AssertCqfLibrariesResolveInBundle(bundle);

        var draft = PackageDraftResponseTests.DraftOf(bundle);
        Assert.StartsWith("#", draft.Questionnaire, StringComparison.Ordinal);
        FhirProfileValidation.Shared.AssertConforms(draft, DtrCanonicals.Profiles.QuestionnaireResponse);
        FhirProfileValidation.Shared.AssertConforms(draft, DtrCanonicals.Profiles.AdaptiveResponse);

        // The age came from the payer; the first step asks the indications.
        var next = await FhirHttp.PostAsync(client, DecisionSteps.NextQuestion, draft);
        Assert.True(next.Status == HttpStatusCode.OK, next.Body);
        Assert.Equal(["bvna-chronic-low-back-pain-6-months", "bvna-failed-conservative-care-6-months", "bvna-modic-changes-l3-s1"],
            AdaptiveClient.Pending(next.As<QuestionnaireResponse>()).Select(q => q.LinkId));
    }

    [Theory]
    [InlineData("Standard", new[] { Bvna })]
    [InlineData("Adaptive", new[] { BvnaAdaptive })]
    [InlineData("Both", new[] { Bvna, BvnaAdaptive })]
    public async Task Package_ForAnOrder_OffersTheFormsTheConfigurationNames(string forms, string[] expected)
    {
        using var app = new SpinePolicyApp(new Dictionary<string, string?> { ["Dtr:PackageForms"] = forms });
        using var client = app.CreateFhirClient();
        var input = PackageRequests.For(PackageRequests.Coverage("adapt-2"), ("order", PackageRequests.Order("bvna-order", "adapt-2", "64628")));

        var reply = await FhirHttp.PostAsync(client, PackageRequests.Path, input);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        var bundles = PackageRequests.Bundles(reply.As<Parameters>()).ToList();
        Assert.Equal(expected, bundles.Select(b => Assert.IsType<Questionnaire>(b.Entry[0].Resource).Url));
        Assert.All(bundles, b => Assert.Contains("ServiceRequest/bvna-order",
            PackageDraftResponseTests.DraftOf(b).Extension.Where(e => e.Url == DtrCanonicals.Extensions.QrContext).Select(e => (e.Value as ResourceReference)?.Reference)));
    }

    [Fact]
    public async Task Package_NamingTheStandardQuestionnaire_ServesItEvenWhenConfiguredAdaptive()
    {
        using var app = new SpinePolicyApp(new Dictionary<string, string?> { ["Dtr:PackageForms"] = "Adaptive" });
        using var client = app.CreateFhirClient();

        var reply = await FhirHttp.PostAsync(client, PackageRequests.Path, PackageRequests.For(PackageRequests.Coverage("adapt-3"), ("questionnaire", new Canonical(Bvna))));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(Bvna, Assert.IsType<Questionnaire>(Assert.Single(PackageRequests.Bundles(reply.As<Parameters>())).Entry[0].Resource).Url);
    }

    [Fact]
    public async Task AdaptiveQuestionnaire_ReadAndSearchedByUrl_IsPublishedBesideTheStandardOne()
    {
        using var app = new SpinePolicyApp();
        using var client = app.CreateFhirClient();

        var read = await FhirHttp.GetAsync(client, "/fhir/Questionnaire/bvna-097-adaptive");
        var search = await FhirHttp.GetAsync(client, $"/fhir/Questionnaire?url={Uri.EscapeDataString(BvnaAdaptive)}");

        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal([$"{Bvna}|2026.01.1"], read.As<Questionnaire>().DerivedFrom);
        Assert.Equal(BvnaAdaptive, Assert.IsType<Questionnaire>(Assert.Single(search.As<Bundle>().Entry).Resource).Url);
    }

    [Fact]
    [Trait("Clause", "P7.1")]
    public async Task NextQuestion_ConfiguredOneQuestionPerStep_AsksOneAtATimeAndStopsAtTheFirstExclusion()
    {
        using var app = new SpinePolicyApp(new Dictionary<string, string?> { ["Dtr:AdaptiveStep"] = "Question" });
        using var client = app.CreateFhirClient();
        var script = CaseBuilder.ApprovableBvna().With("bvna-radicular-pain", true);

        var run = await new AdaptiveClient(client).RunAsync(CaseBuilder.Empty("bvna-097", "64628").Build(), script);

        Assert.All(run.Steps, step => Assert.Single(step));
        var outcome = Outcome.Of(run.Final);
        Assert.True(outcome.Covered == "not-covered" && outcome.HasReasonFor("P7.1"), outcome.ToString());
        Assert.Equal("bvna-radicular-pain", run.Asked[^1]);
        Assert.DoesNotContain("bvna-bmi", run.Asked);
    }
}
