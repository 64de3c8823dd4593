using System.Net;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.FhirQuestionnaire.Tests.Decisions;
using SpinePolicy.FhirQuestionnaire.Tests.Support;
using SpinePolicy.TestKit.Validation;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirQuestionnaire.Tests.Operations;

/// <summary>
/// What a test kit probes at the edges of the DTR operations: the Parameters they take (FHIR's
/// inv-1, names the operation does not define), DTR's payer statement listing $questionnaire-package,
/// $expand and $next-question at system level, and a changedsince that leaves every form out.
/// </summary>
[Collection(DtrAppCollection.Name)]
public sealed partial class KitEdgeTests(DtrAppFixture fixture)
{
    private const string Esi = "https://spinepolicy.example.org/fhir/Questionnaire/esi-097";
    private const string VertebralLevels = "https://spinepolicy.example.org/fhir/ValueSet/vertebral-level";
    private const string CoverageJson = "{\"resourceType\":\"Coverage\",\"id\":\"c\",\"status\":\"active\",\"beneficiary\":{\"reference\":\"Patient/p\"},\"payor\":[{\"display\":\"x\"}],\"class\":[{\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/coverage-class\",\"code\":\"plan\"}]},\"value\":\"MGB-COMMERCIAL\"}]}";

    /// <summary>Until 2026-12 each of these was answered as if the offending part were not there.</summary>
    public static TheoryData<string, string, string> ParametersBreakingInv1OrUnknown => new()
    {
        // $questionnaire-package, read straight from its JSON: a coverage with a value besides its resource.
        { PackageRequests.Path, "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"coverage\",\"valueString\":\"c\",\"resource\":" + CoverageJson + "},{\"name\":\"questionnaire\",\"valueCanonical\":\"" + Esi + "\"}]}", "coverage" },
        { PackageRequests.Path, "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"coverage\",\"resource\":" + CoverageJson + "},{\"name\":\"questionnaire\",\"valueCanonical\":\"" + Esi + "\",\"valueUri\":\"" + Esi + "\"}]}", "questionnaire" },
        { PackageRequests.Path, "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"coverage\",\"resource\":" + CoverageJson + "},{\"name\":\"questionnaire\",\"valueCanonical\":\"" + Esi + "\",\"part\":[{\"name\":\"x\",\"valueString\":\"y\"}]}]}", "questionnaire" },
        // $next-question: the response with a value besides it, or an input SDC does not define.
        { DecisionSteps.NextQuestion, "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"questionnaire-response\",\"valueString\":\"draft\",\"resource\":{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"in-progress\"}}]}", "questionnaire-response" },
        { DecisionSteps.NextQuestion, "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"questionnaire-response\",\"resource\":{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"in-progress\"}},{\"name\":\"step\",\"valueCode\":\"question\"}]}", "step" },
        // ValueSet/$expand (its own words for unsupported names; inv-1 as everywhere).
        { "/fhir/ValueSet/$expand", "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"url\",\"valueUri\":\"" + VertebralLevels + "\",\"resource\":{\"resourceType\":\"ValueSet\",\"status\":\"active\"}}]}", "url" },
    };

    [Theory]
    [MemberData(nameof(ParametersBreakingInv1OrUnknown))]
    public async Task Operation_ParameterBreakingInv1OrUnknown_400NamingIt(string path, string body, string parameter)
    {
        var reply = await FhirHttp.PostRawAsync(fixture.Client, path, body);

        Assert.True(reply.Status == HttpStatusCode.BadRequest, $"{(int)reply.Status}: {reply.Body}");
        var issue = Assert.Single(reply.As<OperationOutcome>().Issue);
        Assert.Contains($"'{parameter}'", issue.Diagnostics, StringComparison.Ordinal);
    }

    /// <summary>
    /// DTR 2.0.1's dtr-payer-service lists $questionnaire-package, $expand and $next-question in
    /// rest.operation (system level); their OperationDefinitions put them on a type. The statement
    /// lists each at both levels under the OperationDefinition's own url; $log-questionnaire-errors,
    /// which that statement does not list and whose OperationDefinition is type-level only, stays on Questionnaire.
    /// </summary>
    [Fact]
    public async Task Metadata_ListsDtrsPayerOperationsAtSystemAndTypeLevel()
    {
        var rest = Assert.Single((await FhirHttp.GetAsync(fixture.Client, "/fhir/metadata")).As<CapabilityStatement>().Rest);

        var expected = new Dictionary<string, (string Type, string Definition)>
        {
            ["questionnaire-package"] = ("Questionnaire", "http://hl7.org/fhir/us/davinci-dtr/OperationDefinition/questionnaire-package"),
            ["next-question"] = ("Questionnaire", "http://hl7.org/fhir/uv/sdc/OperationDefinition/Questionnaire-next-question"),
            ["expand"] = ("ValueSet", "http://hl7.org/fhir/OperationDefinition/ValueSet-expand"),
        };
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), rest.Operation.Select(o => o.Name).Order(StringComparer.Ordinal));
        foreach (var (name, (type, definition)) in expected)
        {
            Assert.Equal(definition, Assert.Single(rest.Operation, o => o.Name == name).Definition);
            Assert.Equal(definition, Assert.Single(rest.Resource.Single(r => r.Type == type).Operation, o => o.Name == name).Definition);
            var operationDefinition = Assert.IsType<OperationDefinition>(FhirProfileValidation.Shared.TryResolveProfile(definition));
            Assert.Equal(definition, operationDefinition.Url);
        }

        Assert.DoesNotContain(rest.Operation, o => o.Name == "log-questionnaire-errors");
        Assert.Contains(rest.Resource.Single(r => r.Type == "Questionnaire").Operation, o => o.Name == "log-questionnaire-errors");
    }

    public static TheoryData<string, string, string> SystemAndTypeLevelCalls => new()
    {
        { "POST", "$questionnaire-package", "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"coverage\",\"resource\":" + CoverageJson.Replace("Patient/p", "Patient/sys-1", StringComparison.Ordinal) + "},{\"name\":\"questionnaire\",\"valueCanonical\":\"" + Esi + "\"}]}" },
        { "POST", "$questionnaire-package", "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"coverage\",\"resource\":" + CoverageJson + "},{\"name\":\"questionnaire\",\"valueCanonical\":\"https://example.org/Questionnaire/unknown\"}]}" },
        { "POST", "$questionnaire-package", "{\"resourceType\":\"Parameters\",\"parameter\":[]}" },
        { "POST", "$next-question", "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"questionnaire-response\",\"resource\":{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"in-progress\"}}]}" },
        { "GET", "$expand?url=" + VertebralLevels, "" },
        { "POST", "$expand", "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"url\",\"valueUri\":\"" + VertebralLevels + "\"}]}" },
        { "GET", "$questionnaire-package", "" },
    };

    /// <summary>The system-level path is the same handler as the type-level one: the same status and the same body (generated ids and times aside).</summary>
    [Theory]
    [MemberData(nameof(SystemAndTypeLevelCalls))]
    public async Task SystemLevelCall_AnswersAsTheTypeLevelCall(string method, string operation, string body)
    {
        var type = operation.StartsWith("$expand", StringComparison.Ordinal) ? "ValueSet" : "Questionnaire";

        var atType = await CallAsync(method, $"/fhir/{type}/{operation}", body);
        var atSystem = await CallAsync(method, $"/fhir/{operation}", body);

        Assert.Equal(atType.Status, atSystem.Status);
        Assert.Equal(atType.ContentType, atSystem.ContentType);
        Assert.Equal(Normalized(atType.Body).Replace($"{type}/$", "$", StringComparison.Ordinal), Normalized(atSystem.Body).Replace($"{type}/$", "$", StringComparison.Ordinal));
        Assert.True(atSystem.Status != HttpStatusCode.NotFound, atSystem.Body);
    }

    [Fact]
    public async Task SystemLevelPackage_CalledWithGet_405NamingPost()
    {
        var reply = await FhirHttp.GetAsync(fixture.Client, "/fhir/$questionnaire-package");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, reply.Status);
        var issue = Assert.Single(reply.As<OperationOutcome>().Issue);
        Assert.Equal(OperationOutcome.IssueType.NotSupported, issue.Code);
        Assert.Contains("POST", issue.Diagnostics, StringComparison.Ordinal);
    }

    /// <summary>
    /// A changedsince every selected form predates: the OperationDefinition lets the answer carry no
    /// 'return' Bundle (and says to answer 200 that nothing changed); its output profile wants one
    /// PackageBundle or more, which only an unchanged package could fill, read by a resuming client as
    /// a change. The answer keeps to the OperationDefinition: an informational outcome, and no claim
    /// (meta.profile) of the output profile it cannot meet, whose one complaint is that very Bundle.
    /// </summary>
    [Fact]
    public async Task Package_ChangedSinceLeavesEveryFormOut_ClaimsNoProfileItBreaksAndBreaksOnlyItsBundleMinimum()
    {
        var input = PackageRequests.For(PackageRequests.Coverage("kit-unchanged"), ("questionnaire", new Canonical(Esi)), ("changedsince", new Instant(new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero))));

        var reply = await FhirHttp.PostAsync(fixture.Client, PackageRequests.Path, input);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var output = reply.As<Parameters>();
        Assert.Empty(PackageRequests.Bundles(output));
        Assert.All(PackageRequests.OutcomeOf(output)!.Issue, i => Assert.Equal(OperationOutcome.IssueSeverity.Information, i.Severity));
        Assert.True(output.Meta is null || output.Meta.Profile.All(p => p != DtrCanonicals.Profiles.PackageOutput), reply.Body);

        FhirProfileValidation.Shared.AssertConforms(output, "http://hl7.org/fhir/StructureDefinition/Parameters");
        var errors = FhirProfileValidation.Shared.Validate(output, DtrCanonicals.Profiles.PackageOutput).Errors;
        var error = Assert.Single(errors);
        Assert.Contains("PackageBundle", error.ToString(), StringComparison.Ordinal);
    }

    private async Task<FhirHttp.Reply> CallAsync(string method, string path, string body) =>
        method == "GET" ? await FhirHttp.GetAsync(fixture.Client, path) : await FhirHttp.PostRawAsync(fixture.Client, path, body);

    private static string Normalized(string body)
    {
        body = Uuid().Replace(body, "uuid");
        return GeneratedValue().Replace(body, "\"$1\":\"x\"");
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Uuid();

    [GeneratedRegex("\"(id|timestamp|lastUpdated|authored|fullUrl|reference)\":\"[^\"]*\"")]
    private static partial Regex GeneratedValue();
}
