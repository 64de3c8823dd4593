using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.FhirQuestionnaire.Tests.Support;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirQuestionnaire.Tests.Operations;

/// <summary>Read, search and $expand of the questionnaires, libraries, value sets and code systems we publish.</summary>
[Collection(DtrAppCollection.Name)]
public sealed class PublishedArtifactEndpointTests(DtrAppFixture fixture)
{
    [Fact]
    public async Task QuestionnaireSearch_WithoutParameters_ListsTheThreeQuestionnairesAndTheirAdaptiveTwins()
    {
        var reply = await FhirHttp.GetAsync(fixture.Client, "/fhir/Questionnaire");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("application/fhir+json", reply.ContentType);
        var bundle = reply.As<Bundle>();
        Assert.Equal(Bundle.BundleType.Searchset, bundle.Type);
        Assert.Equal(["bvna-097", "bvna-097-adaptive", "esi-097", "esi-097-adaptive", "facet-097", "facet-097-adaptive"], bundle.Entry.Select(e => e.Resource?.Id ?? string.Empty).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("/fhir/Questionnaire?url=https://spinepolicy.example.org/fhir/Questionnaire/facet-097&version=2026.01.1", 1)]
    [InlineData("/fhir/Questionnaire?url=https://spinepolicy.example.org/fhir/Questionnaire/facet-097&version=2025.08.0", 0)]
    [InlineData("/fhir/Library?url=https://spinepolicy.example.org/fhir/Library/spinepolicy-prepopulation", 1)]
    [InlineData("/fhir/ValueSet?_id=vertebral-level", 1)]
    [InlineData("/fhir/CodeSystem?url=https://spinepolicy.example.org/fhir/CodeSystem/policy-097-criteria&version=2026.01.1", 1)]
    public async Task Search_ByUrlVersionOrId_FindsExactlyTheMatches(string path, int expected)
    {
        var reply = await FhirHttp.GetAsync(fixture.Client, path);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(expected, reply.As<Bundle>().Entry.Count);
    }

    [Theory]
    [InlineData("esi-097", "Member's age in years (P1: 18 or older)")]
    [InlineData("facet-097", "Member's age in years (P1: 18 or older)")]
    [InlineData("bvna-097", "Member's age in years (P6: 25 or older)")]
    [Trait("Clause", "P1")]
    [Trait("Clause", "P6")]
    public async Task QuestionnaireRead_AgeItem_StatesOnlyItsOwnFamilysAgeRule(string id, string expected)
    {
        var reply = await FhirHttp.GetAsync(fixture.Client, $"/fhir/Questionnaire/{id}");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var age = Assert.Single(QuestionnaireItems.Flatten(reply.As<Questionnaire>().Item), i => i.LinkId == DtrCanonicals.MemberAgeLinkId);
        Assert.Equal(expected, age.Text);
        if (!id.StartsWith("bvna", StringComparison.Ordinal))
        {
            Assert.DoesNotContain("BVNA", age.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("P6", age.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task QuestionnaireRead_ById_ReturnsThePublishedQuestionnaire()
    {
        var reply = await FhirHttp.GetAsync(fixture.Client, "/fhir/Questionnaire/bvna-097");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("https://spinepolicy.example.org/fhir/Questionnaire/bvna-097", reply.As<Questionnaire>().Url);
    }

    [Theory]
    [InlineData("/fhir/Questionnaire/nope", HttpStatusCode.NotFound)]
    [InlineData("/fhir/Questionnaire?title=BVNA", HttpStatusCode.BadRequest)]
    [InlineData("/fhir/ValueSet/$expand?url=https://example.org/ValueSet/unknown", HttpStatusCode.NotFound)]
    public async Task Request_ForSomethingUnknownOrUnsupported_ReturnsOperationOutcome(string path, HttpStatusCode status)
    {
        var reply = await FhirHttp.GetAsync(fixture.Client, path);

        Assert.Equal(status, reply.Status);
        Assert.NotEmpty(reply.As<OperationOutcome>().Issue);
    }

    [Theory]
    [InlineData("/fhir/ValueSet/$expand?url=https://spinepolicy.example.org/fhir/ValueSet/vertebral-level")]
    [InlineData("/fhir/ValueSet/vertebral-level/$expand")]
    [Trait("Clause", "P7.15")]
    public async Task Expand_VertebralLevels_ListsT12ToBelowS1(string path)
    {
        var reply = await FhirHttp.GetAsync(fixture.Client, path);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var expansion = Assert.IsType<ValueSet.ExpansionComponent>(reply.As<ValueSet>().Expansion);
        Assert.Equal(["T12", "L1", "L2", "L3", "L4", "L5", "S1", "S2"], expansion.Contains.Select(c => c.Code));
        Assert.All(expansion.Contains, c => Assert.Equal("https://spinepolicy.example.org/fhir/CodeSystem/vertebral-level", c.System));
    }

    private const string VertebralLevels = "https://spinepolicy.example.org/fhir/ValueSet/vertebral-level";

    [Theory]
    [InlineData("/fhir/ValueSet/$expand?url=" + VertebralLevels + "|2026.01.0")]
    [InlineData("/fhir/ValueSet/$expand?url=" + VertebralLevels + "&valueSetVersion=2026.01.0")]
    [InlineData("/fhir/ValueSet/$expand?url=" + VertebralLevels + "|2026.01.0&valueSetVersion=2026.01.0")]
    [InlineData("/fhir/ValueSet/vertebral-level/$expand?valueSetVersion=2026.01.0")]
    public async Task Expand_PublishedVersion_ExpandsThatVersion(string path)
    {
        var reply = await FhirHttp.GetAsync(fixture.Client, path);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var expanded = reply.As<ValueSet>();
        Assert.Equal("2026.01.0", expanded.Version);
        Assert.Equal(8, Assert.IsType<ValueSet.ExpansionComponent>(expanded.Expansion).Contains.Count);
    }

    [Theory]
    [InlineData("/fhir/ValueSet/$expand?url=" + VertebralLevels + "|2019.01.0", HttpStatusCode.NotFound)]
    [InlineData("/fhir/ValueSet/$expand?url=" + VertebralLevels + "&valueSetVersion=2019.01.0", HttpStatusCode.NotFound)]
    [InlineData("/fhir/ValueSet/vertebral-level/$expand?valueSetVersion=2019.01.0", HttpStatusCode.NotFound)]
    [InlineData("/fhir/ValueSet/$expand?url=" + VertebralLevels + "|2026.01.0&valueSetVersion=2019.01.0", HttpStatusCode.BadRequest)]
    [InlineData("/fhir/ValueSet/vertebral-level/$expand?filter=L", HttpStatusCode.BadRequest)]
    public async Task Expand_VersionNotPublishedOrContradictory_AnswersOutcomeNeverTheCurrentVersion(string path, HttpStatusCode status)
    {
        var reply = await FhirHttp.GetAsync(fixture.Client, path);

        Assert.Equal(status, reply.Status);
        var issue = Assert.Single(reply.As<OperationOutcome>().Issue);
        Assert.Contains(status == HttpStatusCode.NotFound ? "2019.01.0" : "", issue.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expand_PostedUnknownValueSetVersion_Returns404NamingThePublishedOne()
    {
        var input = new Parameters();
        input.Add("url", new FhirUri(VertebralLevels));
        input.Add("valueSetVersion", new FhirString("2025.06.0"));

        var reply = await FhirHttp.PostAsync(fixture.Client, "/fhir/ValueSet/$expand", input);

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Contains("published: 2026.01.0", Assert.Single(reply.As<OperationOutcome>().Issue).Diagnostics, StringComparison.Ordinal);
    }
}
