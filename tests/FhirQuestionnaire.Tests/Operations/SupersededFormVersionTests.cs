using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Tests.Decisions;
using SpinePolicy.FhirQuestionnaire.Tests.Support;
using SpinePolicy.TestKit;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirQuestionnaire.Tests.Operations;

/// <summary>
/// A form version we published before and have since superseded (2026.01.0, recorded in
/// artifact-versions.json) keeps working wherever a client hands it back: CRD cards and stored
/// contexts issued before the release, and providers' responses in progress, still name it. The
/// package serves the current version of that form and says so; $next-question decides a response
/// to it; a search for it matches nothing but names the current version. A version never
/// published stays unknown.
/// </summary>
[Collection(DtrAppCollection.Name)]
public sealed class SupersededFormVersionTests(DtrAppFixture fixture)
{
    private const string Bvna = "https://spinepolicy.example.org/fhir/Questionnaire/bvna-097";
    private const string Superseded = "2026.01.0";
    private const string Current = "2026.01.1";

    /// <summary>
    /// A client naming a superseded version holds that version's content, so "nothing changed since"
    /// cannot be true of it, whatever the dates say: changedsince does not leave the current form out.
    /// </summary>
    [Theory]
    [InlineData(Bvna, false)]
    [InlineData(Bvna + "-adaptive", false)]
    [InlineData(Bvna, true)]
    [InlineData(Bvna + "-adaptive", true)]
    public async Task Package_NamingASupersededFormVersion_ServesTheCurrentVersionAndSaysSo(string url, bool withChangedSince)
    {
        var member = withChangedSince ? "superseded-3" : "superseded-1";
        var parameters = new List<(string, Base)>
        {
            ("questionnaire", new Canonical($"{url}|{Superseded}")),
            ("referenced", PackageRequests.Patient(member, "1970-01-01")),
        };
        if (withChangedSince)
        {
            parameters.Add(("changedsince", new FhirDateTime(DateTimeOffset.UtcNow)));
        }

        var input = PackageRequests.For(PackageRequests.Coverage(member), [.. parameters]);

        var reply = await FhirHttp.PostAsync(fixture.Client, PackageRequests.Path, input);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        var output = reply.As<Parameters>();
        var questionnaire = Assert.IsType<Questionnaire>(Assert.Single(PackageRequests.Bundles(output)).Entry[0].Resource);
        Assert.Equal((url, Current), (questionnaire.Url, questionnaire.Version));
        AssertSupersessionNote(PackageRequests.OutcomeOf(output), url);
    }

    [Fact]
    public async Task Package_NamingAVersionNeverPublished_LeavesItOutAsBefore()
    {
        var input = PackageRequests.For(
            PackageRequests.Coverage("superseded-2"),
            ("questionnaire", new Canonical($"{Bvna}|2025.01.0")),
            ("order", PackageRequests.Order("esi-superseded-2", "superseded-2", "62323")));

        var reply = await FhirHttp.PostAsync(fixture.Client, PackageRequests.Path, input);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        var outcome = PackageRequests.OutcomeOf(reply.As<Parameters>());
        Assert.NotNull(outcome);
        Assert.Contains(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Warning && i.Diagnostics?.Contains($"{Bvna}|2025.01.0", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(outcome.Issue, i => i.Diagnostics?.Contains("superseded", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Package_ForACrdContextIssuedBeforeTheRelease_ServesTheCurrentFormForItsOrder()
    {
        using var app = new SpinePolicyApp();
        using var client = app.CreateFhirClient();
        // Issued two days before the release, naming the form version current then.
        var assertionId = await CrdContexts.SaveBvnaAsync(app, "ServiceRequest/crd-before-release", "member-superseded", $"{Bvna}|{Superseded}", DateTimeOffset.UtcNow.AddDays(-2));

        var input = PackageRequests.For(PackageRequests.Coverage("member-superseded"), ("context", new FhirString(assertionId)), ("referenced", PackageRequests.Patient("member-superseded", "1970-01-01")));
        var reply = await FhirHttp.PostAsync(client, PackageRequests.Path, input);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        var output = reply.As<Parameters>();
        var bundle = Assert.Single(PackageRequests.Bundles(output));
        var questionnaire = Assert.IsType<Questionnaire>(bundle.Entry[0].Resource);
        Assert.Equal((Bvna, Current), (questionnaire.Url, questionnaire.Version));
        var draft = Assert.IsType<QuestionnaireResponse>(bundle.Entry[^1].Resource);
        Assert.Equal($"{Bvna}|{Current}", draft.Questionnaire);
        Assert.Contains(draft.Extension, e => e.Value is ResourceReference { Reference: "ServiceRequest/crd-before-release" });
        AssertSupersessionNote(PackageRequests.OutcomeOf(output), Bvna);
    }

    [Theory]
    [InlineData(false, "covered")]
    [InlineData(true, "not-covered")]
    public async Task NextQuestion_ResponseToTheSupersededForm_DecidesAsUnderTheCurrentOne(bool radicularPain, string covered)
    {
        var @case = CaseBuilder.ApprovableBvna().With("bvna-radicular-pain", radicularPain);
        var current = await DecisionSteps.DecideAsync(fixture.Client, @case);
        var response = @case.Build();
        Assert.Equal($"{Bvna}|{Current}", response.Questionnaire);
        response.Questionnaire = $"{Bvna}|{Superseded}";

        var reply = await FhirHttp.PostAsync(fixture.Client, DecisionSteps.NextQuestion, response);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        var superseded = Outcome.Of(reply.As<QuestionnaireResponse>());
        Assert.Equal(covered, current.Covered);
        Assert.Equal((current.Covered, current.PaNeeded), (superseded.Covered, superseded.PaNeeded));
        Assert.Equal(current.Reasons, superseded.Reasons);
    }

    [Theory]
    [InlineData("url=" + Bvna + "%7C" + Superseded)]
    [InlineData("url=" + Bvna + "&version=" + Superseded)]
    public async Task Search_ForASupersededVersion_MatchesNothingAndNamesTheCurrentVersion(string query)
    {
        var reply = await FhirHttp.GetAsync(fixture.Client, $"/fhir/Questionnaire?{query}");

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        var bundle = reply.As<Bundle>();
        Assert.DoesNotContain(bundle.Entry, e => e.Search?.Mode == Bundle.SearchEntryMode.Match);
        var outcome = Assert.IsType<OperationOutcome>(Assert.Single(bundle.Entry, e => e.Search?.Mode == Bundle.SearchEntryMode.Outcome).Resource);
        AssertSupersessionNote(outcome, Bvna);
    }

    [Theory]
    [InlineData("url=" + Bvna)]
    [InlineData("url=" + Bvna + "%7C" + Current)]
    public async Task Search_WithoutAVersionOrForTheCurrentOne_MatchesTheCurrentFormOnly(string query)
    {
        var reply = await FhirHttp.GetAsync(fixture.Client, $"/fhir/Questionnaire?{query}");

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        var bundle = reply.As<Bundle>();
        var match = Assert.Single(bundle.Entry);
        Assert.Equal(Bundle.SearchEntryMode.Match, match.Search?.Mode);
        Assert.Equal(Current, Assert.IsType<Questionnaire>(match.Resource).Version);
    }

    [Fact]
    public async Task Search_ForAVersionNeverPublished_MatchesNothingAndSaysNothingMore()
    {
        var reply = await FhirHttp.GetAsync(fixture.Client, $"/fhir/Questionnaire?url={Bvna}%7C2025.01.0");

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        Assert.Empty(reply.As<Bundle>().Entry);
    }

    private static void AssertSupersessionNote(OperationOutcome? outcome, string url)
    {
        Assert.NotNull(outcome);
        var note = Assert.Single(outcome.Issue, i => i.Diagnostics?.Contains("superseded", StringComparison.Ordinal) == true);
        Assert.Equal(OperationOutcome.IssueSeverity.Information, note.Severity);
        Assert.Equal(OperationOutcome.IssueType.Informational, note.Code);
        Assert.Contains($"{url}|{Superseded}", note.Diagnostics, StringComparison.Ordinal);
        Assert.Contains($"version {Current}", note.Diagnostics, StringComparison.Ordinal);
    }
}
