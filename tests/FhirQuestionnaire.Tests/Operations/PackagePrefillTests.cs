using System.Net;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.FhirQuestionnaire.Tests.Decisions;
using SpinePolicy.FhirQuestionnaire.Tests.Support;
using SpinePolicy.Storage;
using SpinePolicy.TestKit;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirQuestionnaire.Tests.Operations;

/// <summary>
/// What the payer already knows reaches the draft response: an earlier approved BVNA (P7.16) and the
/// CRD context. Each test runs its own server and database, since these tests store data.
/// </summary>
public sealed class PackagePrefillTests
{
    private const string Bvna = "https://spinepolicy.example.org/fhir/Questionnaire/bvna-097";

    [Fact]
    [Trait("Clause", "P7.16")]
    public async Task Package_AfterAnApprovedBvnaForTheMember_PrefillsThePreviouslyTreatedLevelsAsAuto()
    {
        using var app = new SpinePolicyApp();
        using var client = app.CreateFhirClient();
        var earlier = await FhirHttp.PostAsync(client, DecisionSteps.NextQuestion, CaseBuilder.ApprovableBvna().Patient("member-7").WithLevels("bvna-treated-levels", "L4", "L5").Build());
        Assert.Equal("covered", Outcome.Of(earlier.As<QuestionnaireResponse>()).Covered);

        var input = PackageRequests.For(PackageRequests.Coverage("member-7"), ("order", PackageRequests.Order("second-bvna", "member-7", "64628")));
        var reply = await FhirHttp.PostAsync(client, PackageRequests.Path, input);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        var draft = Assert.IsType<QuestionnaireResponse>(Assert.Single(PackageRequests.Bundles(reply.As<Parameters>())).Entry[^1].Resource);
        var items = QuestionnairePackageTests.Flatten(draft.Item).ToList();
        var prior = Assert.Single(items, i => i.LinkId == "bvna-prior-bvna");
        Assert.True(Assert.IsType<FhirBoolean>(Assert.Single(prior.Answer).Value).Value);
        var levels = Assert.Single(items, i => i.LinkId == "bvna-previously-treated-levels");
        Assert.Equal(["L4", "L5"], levels.Answer.Select(a => Assert.IsType<Coding>(a.Value).Code));
        Assert.All(prior.Answer.Concat(levels.Answer), a => Assert.Equal("auto", QuestionnairePackageTests.OriginOf(a)));
    }

    [Fact]
    [Trait("Clause", "P7.16")]
    public async Task Package_ApprovedBvnaFollowedByManyOtherResponses_StillPrefillsThePreviouslyTreatedLevels()
    {
        using var app = new SpinePolicyApp();
        using var client = app.CreateFhirClient();
        var earlier = await FhirHttp.PostAsync(client, DecisionSteps.NextQuestion, CaseBuilder.ApprovableBvna().Patient("member-9").WithLevels("bvna-treated-levels", "L3", "L4").Build());
        Assert.Equal("covered", Outcome.Of(earlier.As<QuestionnaireResponse>()).Covered);

        // Later, 1,200 completed BVNA responses without a determination (as every PAS submission stores).
        var store = app.Services.GetRequiredService<IResourceStore>();
        var later = Enumerable.Range(0, 1200).Select(_ => new ResourceWrite(new QuestionnaireResponse
        {
            Questionnaire = $"{Bvna}|2026.01.1",
            Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
            Subject = new ResourceReference("Patient/member-9"),
        })).ToList();
        await store.SaveAsync(later, CancellationToken.None);

        var input = PackageRequests.For(PackageRequests.Coverage("member-9"), ("order", PackageRequests.Order("third-bvna", "member-9", "64628")));
        var reply = await FhirHttp.PostAsync(client, PackageRequests.Path, input);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        var draft = Assert.IsType<QuestionnaireResponse>(Assert.Single(PackageRequests.Bundles(reply.As<Parameters>())).Entry[^1].Resource);
        var levels = Assert.Single(QuestionnairePackageTests.Flatten(draft.Item), i => i.LinkId == "bvna-previously-treated-levels");
        Assert.Equal(["L3", "L4"], levels.Answer.Select(a => Assert.IsType<Coding>(a.Value).Code));
    }

    [Fact]
    [Trait("Clause", "P7.16")]
    public async Task Package_AfterADeniedBvnaForTheMember_DoesNotClaimAPriorTreatment()
    {
        using var app = new SpinePolicyApp();
        using var client = app.CreateFhirClient();
        await FhirHttp.PostAsync(client, DecisionSteps.NextQuestion, CaseBuilder.ApprovableBvna().Patient("member-8").With("bvna-radicular-pain", true).Build());

        var input = PackageRequests.For(PackageRequests.Coverage("member-8"), ("order", PackageRequests.Order("bvna", "member-8", "64628")));
        var reply = await FhirHttp.PostAsync(client, PackageRequests.Path, input);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var bundle = Assert.Single(PackageRequests.Bundles(reply.As<Parameters>()));
        Assert.DoesNotContain(bundle.Entry.Select(e => e.Resource).OfType<QuestionnaireResponse>().SelectMany(r => QuestionnairePackageTests.Flatten(r.Item)), i => i.LinkId == "bvna-prior-bvna");
    }

    [Fact]
    public async Task Package_ForACrdContext_ServesTheAssertedQuestionnaireWithTheOrderAsContext()
    {
        using var app = new SpinePolicyApp();
        using var client = app.CreateFhirClient();
        var assertionId = await CrdContexts.SaveBvnaAsync(app, "ServiceRequest/crd-order-1", "member-9", $"{Bvna}|2026.01.1", DateTimeOffset.UtcNow);

        var input = PackageRequests.For(PackageRequests.Coverage("member-9"), ("context", new FhirString(assertionId)), ("referenced", PackageRequests.Patient("member-9", "1970-01-01")));
        var reply = await FhirHttp.PostAsync(client, PackageRequests.Path, input);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        var bundle = Assert.Single(PackageRequests.Bundles(reply.As<Parameters>()));
        Assert.Equal(Bvna, Assert.IsType<Questionnaire>(bundle.Entry[0].Resource).Url);
        var draft = Assert.IsType<QuestionnaireResponse>(bundle.Entry[^1].Resource);
        Assert.Contains(draft.Extension, e => e.Value is ResourceReference { Reference: "ServiceRequest/crd-order-1" });
    }
}
