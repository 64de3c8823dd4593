using System.Net;
using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.Fhir;
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
/// logged, and a report too large or not a report is a 4xx with an OperationOutcome. DTR 2.0.1
/// defines it on Questionnaire with 'questionnaire' and 'operationOutcome' (<see cref="SpecPath"/>);
/// until 2026-12 it was served only on QuestionnaireResponse with 'errors', which stays as a
/// deprecated alias (<see cref="AliasPath"/>) under the same rules.
/// </summary>
public sealed class LogQuestionnaireErrorsTests : IAsyncLifetime
{
    private const string SpecPath = "/fhir/Questionnaire/$log-questionnaire-errors";
    private const string AliasPath = "/fhir/QuestionnaireResponse/$log-questionnaire-errors";
    private const string Bvna = "https://spinepolicy.example.org/fhir/Questionnaire/bvna-097|2026.01.0";
    private const string ReportedQuestionnaire = "https://spinepolicy.example.org/fhir/StructureDefinition/reported-questionnaire";
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

    [Fact]
    public async Task SpecReport_QuestionnaireAndOperationOutcome_IsRecordedWithTheQuestionnaire()
    {
        using var client = _app.CreateFhirClient("system/Questionnaire.read");
        var problem = $"CQL library SpinePolicyPrepopulation failed ({Guid.NewGuid():N})";

        // DTR 2.0.1's own example (LogQuestionnaireErrorsInputParamsExample), naming our form.
        var reply = await FhirHttp.PostRawAsync(client, SpecPath, $$$"""
            {"resourceType":"Parameters","parameter":[
              {"name":"questionnaire","valueCanonical":"{{{Bvna}}}"},
              {"name":"operationOutcome","resource":{"resourceType":"OperationOutcome","id":"from-the-client",
                "issue":[{"severity":"error","code":"processing","diagnostics":"{{{problem}}}"}]}}]}
            """);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var answer = Assert.Single(reply.As<OperationOutcome>().Issue);
        Assert.Equal(OperationOutcome.IssueSeverity.Information, answer.Severity);
        var stored = Assert.Single(await StoredReportsAsync(), json => json.Contains(problem, StringComparison.Ordinal));
        var outcome = FhirJson.Parse<OperationOutcome>(stored);
        Assert.Contains($"OperationOutcome/{outcome.Id}", answer.Diagnostics, StringComparison.Ordinal);
        Assert.NotEqual("from-the-client", outcome.Id);
        Assert.Equal(Bvna, Assert.IsType<Canonical>(outcome.GetExtension(ReportedQuestionnaire)?.Value).Value);
    }

    [Fact]
    public async Task SpecReport_ParameterNamesAsTheOperationDefinitionSpellsThem_IsRecorded()
    {
        using var client = _app.CreateFhirClient("system/Questionnaire.read");
        var problem = $"enableWhen on bvna-levels failed ({Guid.NewGuid():N})";
        var input = new Parameters();
        input.Parameter.Add(new Parameters.ParameterComponent { Name = "Questionnaire", Value = new Canonical(Bvna) });
        input.Parameter.Add(new Parameters.ParameterComponent { Name = "OperationOutcome", Resource = Report(problem) });

        var reply = await FhirHttp.PostAsync(client, SpecPath, input);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Contains(await StoredReportsAsync(), json => json.Contains(problem, StringComparison.Ordinal) && json.Contains(Bvna, StringComparison.Ordinal));
    }

    public static TheoryData<string, string> SpecReportsMissingOrMistypingAParameter => new()
    {
        { "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"operationOutcome\",\"resource\":{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"processing\"}]}}]}", "questionnaire" },
        { "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"questionnaire\",\"valueString\":\"bvna-097\"},{\"name\":\"operationOutcome\",\"resource\":{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"processing\"}]}}]}", "questionnaire" },
        { "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"questionnaire\",\"resource\":{\"resourceType\":\"Questionnaire\",\"status\":\"active\"}},{\"name\":\"operationOutcome\",\"resource\":{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"processing\"}]}}]}", "questionnaire" },
        { "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"questionnaire\",\"valueCanonical\":\"" + Bvna + "\"},{\"name\":\"questionnaire\",\"valueCanonical\":\"https://spinepolicy.example.org/fhir/Questionnaire/esi-097\"},{\"name\":\"operationOutcome\",\"resource\":{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"processing\"}]}}]}", "questionnaire" },
        { "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"questionnaire\",\"valueCanonical\":\"" + Bvna + "\"}]}", "operationOutcome" },
        { "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"questionnaire\",\"valueCanonical\":\"" + Bvna + "\"},{\"name\":\"operationOutcome\",\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Quill\"}]}}]}", "operationOutcome" },
        { "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"questionnaire\",\"valueCanonical\":\"" + Bvna + "\"},{\"name\":\"operationOutcome\",\"valueString\":\"CQL failed\"}]}", "operationOutcome" },
        { "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"questionnaire\",\"valueCanonical\":\"" + Bvna + "\"},{\"name\":\"errors\",\"resource\":{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"processing\"}]}}]}", "operationOutcome" },
        { "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"processing\"}]}", "questionnaire" },
    };

    [Theory]
    [MemberData(nameof(SpecReportsMissingOrMistypingAParameter))]
    public async Task SpecReport_MissingOrWrongTypedParameter_400NamingItAndNothingStored(string body, string parameter)
    {
        using var client = _app.CreateFhirClient("system/Questionnaire.read");

        var reply = await FhirHttp.PostRawAsync(client, SpecPath, body);

        await AssertRefusedAndNothingStoredAsync(HttpStatusCode.BadRequest, reply);
        Assert.Contains($"'{parameter}'", Assert.Single(reply.As<OperationOutcome>().Issue).Diagnostics, StringComparison.Ordinal);
    }

    private const string OutcomeJson = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"processing\"}]}";

    /// <summary>
    /// FHIR's Parameters inv-1 (exactly one of value[x], resource or part) and names the operation
    /// does not define: until 2026-12 a parameter with both a value and a resource was read as
    /// whichever the reader looked at, and an unknown parameter was ignored, so a misspelt report was
    /// stored as if well formed. Now each is a 400 naming the parameter, on both paths, and nothing is stored.
    /// </summary>
    public static TheoryData<string, string, string> ReportsBreakingInv1OrNamingAnUnknownParameter => new()
    {
        { SpecPath, "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"questionnaire\",\"valueCanonical\":\"" + Bvna + "\",\"resource\":" + OutcomeJson + "},{\"name\":\"operationOutcome\",\"resource\":" + OutcomeJson + "}]}", "questionnaire" },
        { SpecPath, "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"Questionnaire\",\"valueCanonical\":\"" + Bvna + "\"},{\"name\":\"OperationOutcome\",\"valueString\":\"CQL failed\",\"resource\":" + OutcomeJson + "}]}", "OperationOutcome" },
        { SpecPath, "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"questionnaire\",\"valueCanonical\":\"" + Bvna + "\"},{\"name\":\"operationOutcome\",\"resource\":" + OutcomeJson + "},{\"name\":\"client\",\"valueString\":\"ehr-7\"}]}", "client" },
        { SpecPath, "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"questionnaires\",\"valueCanonical\":\"" + Bvna + "\"},{\"name\":\"questionnaire\",\"valueCanonical\":\"" + Bvna + "\"},{\"name\":\"operationOutcome\",\"resource\":" + OutcomeJson + "}]}", "questionnaires" },
        { AliasPath, "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"errors\",\"valueString\":\"CQL failed\",\"resource\":" + OutcomeJson + "}]}", "errors" },
        { AliasPath, "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"errors\",\"resource\":" + OutcomeJson + "},{\"name\":\"error\",\"resource\":" + OutcomeJson + "}]}", "error" },
    };

    [Theory]
    [MemberData(nameof(ReportsBreakingInv1OrNamingAnUnknownParameter))]
    public async Task Report_ParameterBreakingInv1OrUnknown_400NamingItAndNothingStored(string path, string body, string parameter)
    {
        using var client = _app.CreateFhirClient("system/Questionnaire.read");

        var reply = await FhirHttp.PostRawAsync(client, path, body);

        await AssertRefusedAndNothingStoredAsync(HttpStatusCode.BadRequest, reply);
        Assert.Contains($"'{parameter}'", Assert.Single(reply.As<OperationOutcome>().Issue).Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metadata_ListsTheOperationOnQuestionnaireWithDtrsDefinitionAndNotTheAlias()
    {
        using var client = _app.CreateFhirClient("system/Questionnaire.read");

        var rest = Assert.Single((await FhirHttp.GetAsync(client, "/fhir/metadata")).As<CapabilityStatement>().Rest);

        var operation = Assert.Single(rest.Resource.Single(r => r.Type == "Questionnaire").Operation, o => o.Name == "log-questionnaire-errors");
        Assert.Equal("http://hl7.org/fhir/us/davinci-dtr/OperationDefinition/log-questionnaire-errors", operation.Definition);
        Assert.DoesNotContain(rest.Resource.SelectMany(r => r.Operation.Select(o => (r.Type, o.Name))), o => o is ("QuestionnaireResponse", "log-questionnaire-errors"));
    }

    [Theory]
    [InlineData("system/QuestionnaireResponse.write")]
    [InlineData("system/QuestionnaireResponse.c")]
    [InlineData("system/Claim.write")]
    [InlineData("system/ValueSet.read")]
    public async Task Report_TokenWithoutTheDtrScopes_Gets403LikeTheOtherDtrOperations(string scope)
    {
        using var client = _app.CreateFhirClient(scope);

        var report = await FhirHttp.PostAsync(client, SpecPath, SpecReport("no DTR scope"));
        var aliasReport = await FhirHttp.PostAsync(client, AliasPath, Report("no DTR scope"));
        var nextQuestion = await FhirHttp.PostAsync(client, DecisionSteps.NextQuestion, CaseBuilder.ApprovableEsi().Build());

        Assert.Equal(HttpStatusCode.Forbidden, nextQuestion.Status);
        AssertSameRefusal(nextQuestion, report);
        AssertSameRefusal(nextQuestion, aliasReport);
        Assert.Empty(await StoredReportsAsync());
    }

    [Fact]
    public async Task Report_SignedInUserWhoseTokenNamesNoOrganization_Gets403LikeTheOtherDtrOperations()
    {
        using var user = SignedInUser();

        var report = await FhirHttp.PostAsync(user, AliasPath, Report("no organization"));
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

        var reply = await FhirHttp.PostAsync(user, AliasPath, Report(problem));

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

        var reply = await FhirHttp.PostAsync(client, AliasPath, input);

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

        var reply = await FhirHttp.PostRawAsync(client, AliasPath, body);

        await AssertRefusedAndNothingStoredAsync(HttpStatusCode.BadRequest, reply);
    }

    [Fact]
    public async Task Report_OverTheFhirBodyLimit_413WithOperationOutcome()
    {
        using var client = _app.CreateFhirClient("system/Questionnaire.read");
        var huge = Report(new string('x', 3 << 20));

        var reply = await FhirHttp.PostAsync(client, AliasPath, huge);

        await AssertRefusedAndNothingStoredAsync(HttpStatusCode.RequestEntityTooLarge, reply);
    }

    [Theory]
    [InlineData(SpecPath, "operationOutcome", 11)]
    [InlineData(AliasPath, "errors", 1000)]
    public async Task Report_MoreOutcomesThanOneReportHolds_422TooCostlyAndNothingStored(string path, string outcomeParameter, int outcomes)
    {
        using var client = _app.CreateFhirClient("system/Questionnaire.read");
        var flood = new Parameters();
        flood.Parameter.Add(new Parameters.ParameterComponent { Name = "questionnaire", Value = new Canonical(Bvna) });
        for (var i = 0; i < outcomes; i++)
        {
            flood.Parameter.Add(new Parameters.ParameterComponent { Name = outcomeParameter, Resource = Report($"e{i}") });
        }

        var reply = await FhirHttp.PostAsync(client, path, flood);

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

        var reply = await FhirHttp.PostAsync(client, AliasPath, input);
        var broken = await FhirHttp.PostRawAsync(client, AliasPath, $"{{\"resourceType\":\"Parameters\",\"parameter\":[{{\"name\":\"{family}\",\"valueDate\":\"{birthDate}\"}}]}}");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(HttpStatusCode.BadRequest, broken.Status);
        Assert.NotEmpty(_app.Logs.Entries);
        Assert.Empty(_app.FindPhiInLogs());
    }

    private static OperationOutcome Report(string problem) =>
        Fhir.OperationOutcomes.Error(OperationOutcome.IssueType.Processing, problem);

    private static Parameters SpecReport(string problem)
    {
        var input = new Parameters();
        input.Parameter.Add(new Parameters.ParameterComponent { Name = "questionnaire", Value = new Canonical(Bvna) });
        input.Parameter.Add(new Parameters.ParameterComponent { Name = "operationOutcome", Resource = Report(problem) });
        return input;
    }

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
