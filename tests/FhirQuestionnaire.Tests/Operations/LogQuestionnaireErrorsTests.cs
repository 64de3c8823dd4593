using System.Net;
using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.FhirQuestionnaire.Tests.Decisions;
using SpinePolicy.FhirQuestionnaire.Tests.Support;
using SpinePolicy.Storage;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Security;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirQuestionnaire.Tests.Operations;

/// <summary>
/// DTR $log-questionnaire-errors: a DTR client's report of problems with our questionnaires. It is
/// a DTR operation, so it admits exactly the callers $questionnaire-package and $next-question admit
/// (until 2026-12 any token with a QuestionnaireResponse write scope could store reports, while the
/// payer-hosted DTR app, which holds only the DTR scopes, was refused). A report is stored, never
/// logged, and a report too large or not a report is a 4xx with an OperationOutcome.
/// </summary>
public sealed class LogQuestionnaireErrorsTests : IAsyncLifetime
{
    private const string Path = "/fhir/QuestionnaireResponse/$log-questionnaire-errors";
    private const string DtrAppClientId = "spinepolicy-dtr";
    private const string DtrAppScopes = "user/Questionnaire.rs user/ValueSet.rs user/Claim.c";

    private readonly PayerSignInServer _signIn;
    private readonly SpinePolicyApp _app;

    public LogQuestionnaireErrorsTests()
    {
        _signIn = new PayerSignInServer(DtrAppClientId);
        _app = new SpinePolicyApp(new Dictionary<string, string?>(_signIn.ServerSettings(issuerIndex: 1, clientIndex: 8)));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _signIn.DisposeAsync();
    }

    [Theory]
    [InlineData("system/QuestionnaireResponse.write")]
    [InlineData("system/QuestionnaireResponse.c")]
    [InlineData("system/Claim.write")]
    [InlineData("system/ValueSet.read")]
    public async Task Report_TokenWithoutTheDtrScopes_Gets403LikeTheOtherDtrOperations(string scope)
    {
        using var client = _app.CreateFhirClient(scope);

        var report = await FhirHttp.PostAsync(client, Path, Report("no DTR scope"));
        var nextQuestion = await FhirHttp.PostAsync(client, DecisionSteps.NextQuestion, CaseBuilder.ApprovableEsi().Build());

        Assert.Equal(HttpStatusCode.Forbidden, nextQuestion.Status);
        AssertSameRefusal(nextQuestion, report);
        Assert.Empty(await StoredReportsAsync());
    }

    [Fact]
    public async Task Report_SignedInUserWhoseTokenNamesNoOrganization_Gets403LikeTheOtherDtrOperations()
    {
        using var user = SignedInUser();

        var report = await FhirHttp.PostAsync(user, Path, Report("no organization"));
        var package = await FhirHttp.PostAsync(user, PackageRequests.Path, PackageRequests.For(PackageRequests.Coverage("log-1"), ("questionnaire", new Canonical("https://spinepolicy.example.org/fhir/Questionnaire/esi-097"))));

        Assert.Equal(HttpStatusCode.Forbidden, package.Status);
        AssertSameRefusal(package, report);
        Assert.Empty(await StoredReportsAsync());
    }

    [Fact]
    public async Task Report_PayerHostedDtrAppUserOfAClinic_IsRecorded()
    {
        using var user = SignedInUser($"{TestClients.NpiSystem}|{TestClients.ProviderNpi}");
        var problem = $"CQL failed in bvna-097 ({Guid.NewGuid():N})";

        var reply = await FhirHttp.PostAsync(user, Path, Report(problem));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(OperationOutcome.IssueSeverity.Information, Assert.Single(reply.As<OperationOutcome>().Issue).Severity);
        Assert.Contains(await StoredReportsAsync(), json => json.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Report_WithAnErrorsOutcome_IsRecordedForThePayerAndNamedInTheAnswer()
    {
        using var client = _app.CreateFhirClient("system/Questionnaire.read");
        var problem = $"initialExpression failed for item bvna-bmi ({Guid.NewGuid():N})";
        var input = new Parameters();
        input.Parameter.Add(new Parameters.ParameterComponent { Name = "errors", Resource = Report(problem) });

        var reply = await FhirHttp.PostAsync(client, Path, input);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var answer = Assert.Single(reply.As<OperationOutcome>().Issue);
        Assert.Equal(OperationOutcome.IssueSeverity.Information, answer.Severity);
        var id = System.Text.RegularExpressions.Regex.Match(answer.Diagnostics ?? "", "OperationOutcome/([A-Za-z0-9.-]+)").Groups[1].Value;
        var stored = await _app.Services.GetRequiredService<IResourceStore>().ReadAsync("OperationOutcome", id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Contains(problem, stored.Json, StringComparison.Ordinal);
    }

    public static TheoryData<string> MalformedBodies => new()
    {
        "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"errors\"",
        "not json at all",
        "[]",
        "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"questionnaire\",\"valueCanonical\":\"https://spinepolicy.example.org/fhir/Questionnaire/bvna-097\"}]}",
        "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"errors\"}]}",
        "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"errors\",\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Quill\"}]}}]}",
        "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}",
        "{\"resourceType\":\"NoSuchType\"}",
        "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"processing\",\"diagnostics\":17}]}",
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Report_Malformed_400WithOperationOutcomeAndNothingStored(string body)
    {
        using var client = _app.CreateFhirClient("system/Questionnaire.read");

        var reply = await FhirHttp.PostRawAsync(client, Path, body);

        await AssertRefusedAndNothingStoredAsync(HttpStatusCode.BadRequest, reply);
    }

    [Fact]
    public async Task Report_OverTheFhirBodyLimit_413WithOperationOutcome()
    {
        using var client = _app.CreateFhirClient("system/Questionnaire.read");
        var huge = Report(new string('x', 3 << 20));

        var reply = await FhirHttp.PostAsync(client, Path, huge);

        await AssertRefusedAndNothingStoredAsync(HttpStatusCode.RequestEntityTooLarge, reply);
    }

    [Fact]
    public async Task Report_MoreOutcomesThanOneReportHolds_422TooCostlyAndNothingStored()
    {
        using var client = _app.CreateFhirClient("system/Questionnaire.read");
        var flood = new Parameters();
        for (var i = 0; i < 1000; i++)
        {
            flood.Parameter.Add(new Parameters.ParameterComponent { Name = "errors", Resource = Fhir.OperationOutcomes.Error(OperationOutcome.IssueType.Processing, $"e{i}") });
        }

        var reply = await FhirHttp.PostAsync(client, Path, flood);

        await AssertRefusedAndNothingStoredAsync(HttpStatusCode.UnprocessableEntity, reply);
        Assert.Equal(OperationOutcome.IssueType.TooCostly, Assert.Single(reply.As<OperationOutcome>().Issue).Code);
    }

    [Fact]
    public async Task Report_QuotingAPatient_NothingOfThePatientIsLogged()
    {
        using var client = _app.CreateFhirClient("system/Questionnaire.read");
        const string family = "Oyelaran-Quist";
        const string birthDate = "1949-03-17";
        _app.PhiSent.Add("family name", family);
        _app.PhiSent.Add("birth date", birthDate);
        var quoting = Report($"initialExpression failed for {family}, born {birthDate}");
        quoting.Contained.Add(new Patient { Id = "p", Name = [new HumanName { Family = family }], BirthDate = birthDate });
        var input = new Parameters();
        input.Parameter.Add(new Parameters.ParameterComponent { Name = "errors", Resource = quoting });

        var reply = await FhirHttp.PostAsync(client, Path, input);
        var broken = await FhirHttp.PostRawAsync(client, Path, $"{{\"resourceType\":\"Parameters\",\"parameter\":[{{\"name\":\"{family}\",\"valueDate\":\"{birthDate}\"}}]}}");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(HttpStatusCode.BadRequest, broken.Status);
        Assert.NotEmpty(_app.Logs.Entries);
        Assert.Empty(_app.FindPhiInLogs());
    }

    private static OperationOutcome Report(string problem) =>
        Fhir.OperationOutcomes.Error(OperationOutcome.IssueType.Processing, problem);

    private async Task AssertRefusedAndNothingStoredAsync(HttpStatusCode status, FhirHttp.Reply reply)
    {
        Assert.Equal(status, reply.Status);
        Assert.NotEmpty(reply.As<OperationOutcome>().Issue);
        Assert.Empty(await StoredReportsAsync());
    }

    private static void AssertSameRefusal(FhirHttp.Reply expected, FhirHttp.Reply actual)
    {
        Assert.Equal(expected.Status, actual.Status);
        var want = Assert.Single(expected.As<OperationOutcome>().Issue);
        var got = Assert.Single(actual.As<OperationOutcome>().Issue);
        Assert.Equal(want.Code, got.Code);
        Assert.Equal(want.Diagnostics, got.Diagnostics);
    }

    private HttpClient SignedInUser(params string[] organization)
    {
        _signIn.UserOrganization.Clear();
        _signIn.UserOrganization.AddRange(organization);
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _signIn.AccessToken(DtrAppScopes));
        return client;
    }

    private async Task<List<string>> StoredReportsAsync()
    {
        var page = await _app.Services.GetRequiredService<IResourceStore>().SearchAsync(new ResourceSearch("OperationOutcome") { Count = 1000 }, CancellationToken.None);
        return page.Resources.Select(r => r.Json).ToList();
    }
}
