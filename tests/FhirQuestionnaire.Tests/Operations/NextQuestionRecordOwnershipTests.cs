using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Tests.Decisions;
using SpinePolicy.FhirQuestionnaire.Tests.Support;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Postgres;
using SpinePolicy.TestKit.Security;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirQuestionnaire.Tests.Operations;

/// <summary>
/// $next-question keeps a decided response so that its organization's later packages can pre-fill
/// from it. A caller that acts for no organization (a valid token nobody bound, another payer) may
/// use the operation but has nowhere to file the response: it must store nothing, or anyone with a
/// trusted token could plant "completed" answers about any member among the ones this payer's staff
/// read. Run on both stores.
/// </summary>
public abstract class NextQuestionRecordOwnershipSuite
{
    protected abstract Task<IDictionary<string, string?>> StoreSettingsAsync();

    [Theory]
    [InlineData("unbound-dtr-client", TestTokens.FhirIssuer)]
    [InlineData("another-payer", TestTokens.PartnerIssuer)]
    public async Task DecidedResponse_OfACallerBoundToNoOrganization_IsAnsweredButNotStored(string clientId, string issuer)
    {
        await using var app = new SpinePolicyApp(await StoreSettingsAsync());
        using var caller = app.CreateFhirClientAs(clientId, issuer, "system/Questionnaire.read");
        using var staff = app.CreateBackOfficeClient("system/QuestionnaireResponse.read");
        var member = $"member-{Guid.NewGuid():N}"[..24];

        var decided = await FhirHttp.PostAsync(caller, DecisionSteps.NextQuestion, CaseBuilder.ApprovableEsi().Patient(member).Build());

        Assert.True(decided.Status == HttpStatusCode.OK, decided.Body);
        Assert.Equal(QuestionnaireResponse.QuestionnaireResponseStatus.Completed, decided.As<QuestionnaireResponse>().Status);
        var stored = await FhirHttp.GetAsync(staff, $"/fhir/QuestionnaireResponse?patient={member}&_total=accurate");
        Assert.Equal(0, stored.As<Bundle>().Total);
    }

    /// <summary>The control: a provider's decided response is kept, for its own organization.</summary>
    [Fact]
    public async Task DecidedResponse_OfAProvider_IsStoredForItsOrganization()
    {
        await using var app = new SpinePolicyApp(await StoreSettingsAsync());
        using var provider = app.CreateFhirClient("system/Questionnaire.read", "system/QuestionnaireResponse.read");
        var member = $"member-{Guid.NewGuid():N}"[..24];

        var decided = await FhirHttp.PostAsync(provider, DecisionSteps.NextQuestion, CaseBuilder.ApprovableEsi().Patient(member).Build());

        Assert.True(decided.Status == HttpStatusCode.OK, decided.Body);
        var stored = await FhirHttp.GetAsync(provider, $"/fhir/QuestionnaireResponse?patient={member}&_total=accurate");
        Assert.Equal(1, stored.As<Bundle>().Total);
    }
}

public sealed class NextQuestionRecordOwnershipSqliteTests : NextQuestionRecordOwnershipSuite
{
    protected override Task<IDictionary<string, string?>> StoreSettingsAsync() =>
        Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?>());
}

public sealed class NextQuestionRecordOwnershipPostgresTests : NextQuestionRecordOwnershipSuite
{
    protected override async Task<IDictionary<string, string?>> StoreSettingsAsync() => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "Postgres",
        ["Storage:Postgres:ConnectionString"] = await PostgresCluster.CreateSharedDatabaseAsync(),
    };
}
