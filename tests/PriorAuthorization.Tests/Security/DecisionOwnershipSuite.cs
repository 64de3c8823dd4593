using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.PriorAuthorization.Tests.Security;

/// <summary>
/// An attacker's and a misbehaving provider's probes against decisions, run on both stores:
/// decisions are written only by the payer's decision paths, and a provider organization sees,
/// inquires about, updates and cancels only its own requests. The default client acts for
/// provider A; <see cref="TestClients.OtherProviderClientId"/> for an unrelated provider B.
/// </summary>
public abstract class DecisionOwnershipSuite(PasStoreFixture store)
{
    private PasHost Host => store.Host;

    private HttpClient ProviderB() => Host.CreateClientAs(TestClients.OtherProviderClientId);

    /// <summary>Provider A's request that needs clinical review (pended, A4), as A submitted it.</summary>
    private async Task<(PasRequestBuilder Request, ClaimResponse Response)> PendedRequestOfProviderAAsync()
    {
        var request = new PasRequestBuilder().Line("64628").WithAnswers(Host.Fill(Answers.AllMet("bvna").Remove("bvna-bmi")));
        var submitted = await Host.SubmitAsync(request.Build());
        Assert.Equal(HttpStatusCode.OK, submitted.Status);
        Assert.Equal("A4", submitted.ActionOf(1));
        return (request, submitted.ClaimResponse);
    }

    private static ClaimResponse ForgedApproval(ClaimResponse pended)
    {
        var forged = (ClaimResponse)pended.DeepCopy();
        forged.PreAuthRef = "FORGED-0001";
        forged.Outcome = ClaimProcessingCodes.Complete;
        var action = forged.Item[0].Adjudication.SelectMany(a => a.Extension).First(e => e.Url == PasCodes.ReviewActionUrl);
        action.Extension.First(e => e.Url == PasCodes.ReviewActionCodeUrl).Value = new CodeableConcept(PasCodes.X12ActionSystem, "A1");
        return forged;
    }

    public static TheoryData<string, string> WritingClients => new()
    {
        { TestTokens.DefaultFhirClientId, "system/ClaimResponse.write" },
        { TestTokens.DefaultFhirClientId, "system/*.*" },
        { TestTokens.DefaultFhirClientId, "system/*.cruds" },
        { TestTokens.DefaultFhirClientId, "system/ClaimResponse.u" },
        { TestTokens.DefaultFhirClientId, "system/ClaimResponse.cu" },
        { TestClients.OtherProviderClientId, "system/*.*" },
        { TestClients.AdministrationClientId, "system/*.*" },
        { TestClients.ReviewerClientId, "system/*.*" },
    };

    [Theory]
    [MemberData(nameof(WritingClients))]
    public async Task ForgedApproval_PutClaimResponseTurningPendedIntoA1_RefusedAndInquiryStillPended(string clientId, string scope)
    {
        var (request, pended) = await PendedRequestOfProviderAAsync();
        using var client = Host.CreateClient(TestTokens.MintFhirToken([scope], clientId));

        var put = await PutAsync(client, $"/fhir/ClaimResponse/{pended.Id}", ForgedApproval(pended));

        Assert.True(put.Status is HttpStatusCode.MethodNotAllowed or HttpStatusCode.Forbidden, $"{clientId} {scope}: {put.Status}");
        Assert.IsType<OperationOutcome>(put.Resource);
        var inquiry = await Host.InquireAsync(SubmitRecordTests.InquiryFor(request));
        Assert.Equal("A4", inquiry.ActionOf(1));
        Assert.Null(inquiry.ClaimResponse.PreAuthRef);
        Assert.Equal(pended.Meta!.VersionId, inquiry.ClaimResponse.Meta!.VersionId);
    }

    [Theory]
    [MemberData(nameof(WritingClients))]
    public async Task ForgedApproval_PostFabricatedClaimResponse_RefusedAndNothingStored(string clientId, string scope)
    {
        var (_, pended) = await PendedRequestOfProviderAAsync();
        using var client = Host.CreateClient(TestTokens.MintFhirToken([scope], clientId));
        var fabricated = ForgedApproval(pended);
        fabricated.Id = null;
        fabricated.Identifier = [new Identifier("https://attacker.example/forged", Guid.NewGuid().ToString("N"))];

        var post = await PasHost.PostAsync(client, "/fhir/ClaimResponse", fabricated);

        Assert.True(post.Status is HttpStatusCode.MethodNotAllowed or HttpStatusCode.Forbidden, $"{clientId} {scope}: {post.Status}");
        using var admin = Host.CreateClientAs(TestClients.AdministrationClientId);
        var search = await GetAsync(admin, $"/fhir/ClaimResponse?identifier={fabricated.Identifier[0].System}|{fabricated.Identifier[0].Value}");
        Assert.Empty(search.Bundle.Entry);
    }

    [Fact]
    public async Task ClaimRewrite_PutOfADecidedClaimByItsOwnOrByAnotherProvider_Refused()
    {
        var (request, pended) = await PendedRequestOfProviderAAsync();
        using var admin = Host.CreateClientAs(TestClients.AdministrationClientId);
        var claim = (Claim)(await GetAsync(admin, $"/fhir/Claim/{pended.Id}")).Resource!;
        claim.Item[0].Quantity = new Quantity { Value = 9 };

        var byOwner = await PutAsync(Host.Client, $"/fhir/Claim/{claim.Id}", claim);
        using var providerB = ProviderB();
        var byOther = await PutAsync(providerB, $"/fhir/Claim/{claim.Id}", claim);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, byOwner.Status);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, byOther.Status);
        var stored = (Claim)(await GetAsync(admin, $"/fhir/Claim/{claim.Id}")).Resource!;
        Assert.Equal("1", stored.Meta!.VersionId);
        Assert.Equal(request.ClaimIdentifier, stored.Identifier[0].Value);
    }

    /// <summary>
    /// The other generic writes a forger would try next: a Claim posted past $submit, and deleting
    /// the decision or its claim (which would make $inquire forget a denial). Refused whatever the
    /// scope, with an OperationOutcome, and both records stay as decided.
    /// </summary>
    [Theory]
    [InlineData(TestTokens.DefaultFhirClientId)]
    [InlineData(TestClients.AdministrationClientId)]
    [InlineData(TestClients.ReviewerClientId)]
    public async Task ForgedRecord_PostClaimPastSubmitOrDeleteDecisionOrClaim_RefusedAndRecordsKept(string clientId)
    {
        var (request, pended) = await PendedRequestOfProviderAAsync();
        using var client = Host.CreateClient(TestTokens.MintFhirToken(["system/*.*"], clientId));
        using var admin = Host.CreateClientAs(TestClients.AdministrationClientId);
        var claim = (Claim)(await GetAsync(admin, $"/fhir/Claim/{pended.Id}")).Resource!;
        claim.Id = null;
        claim.Identifier = [new Identifier("https://attacker.example/claims", Guid.NewGuid().ToString("N"))];

        var post = await PasHost.PostAsync(client, "/fhir/Claim", claim);
        var deleteDecision = await DeleteAsync(client, $"/fhir/ClaimResponse/{pended.Id}");
        var deleteClaim = await DeleteAsync(client, $"/fhir/Claim/{pended.Id}");

        foreach (var (what, answer) in new[] { ("POST Claim", post), ("DELETE ClaimResponse", deleteDecision), ("DELETE Claim", deleteClaim) })
        {
            Assert.True(answer.Status is HttpStatusCode.MethodNotAllowed or HttpStatusCode.Forbidden, $"{clientId} {what}: {answer.Status}");
            Assert.NotEmpty(Assert.IsType<OperationOutcome>(answer.Resource).Issue);
        }

        var search = await GetAsync(admin, $"/fhir/Claim?identifier={claim.Identifier[0].System}|{claim.Identifier[0].Value}");
        Assert.Empty(search.Bundle.Entry);
        var inquiry = await Host.InquireAsync(SubmitRecordTests.InquiryFor(request));
        Assert.Equal("A4", inquiry.ActionOf(1));
        Assert.Equal(pended.Meta!.VersionId, inquiry.ClaimResponse.Meta!.VersionId);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(admin, $"/fhir/Claim/{pended.Id}")).Status);
    }

    [Fact]
    public async Task SubmittedAnswers_PostOrPutOfAQuestionnaireResponse_Refused()
    {
        var (_, pended) = await PendedRequestOfProviderAAsync();
        using var admin = Host.CreateClientAs(TestClients.AdministrationClientId);
        var answers = (Bundle)(await GetAsync(admin, $"/fhir/QuestionnaireResponse?_count=1")).Resource!;
        var stored = (QuestionnaireResponse)answers.Entry[0].Resource!;

        var put = await PutAsync(Host.Client, $"/fhir/QuestionnaireResponse/{stored.Id}", stored);
        var post = await PasHost.PostAsync(Host.Client, "/fhir/QuestionnaireResponse", stored);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, put.Status);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.Status);
        Assert.NotNull(pended.Id);
    }

    [Fact]
    public async Task CrossProvider_ReadOfAnotherOrganizationsRecords_404AsIfUnknown()
    {
        var (_, pended) = await PendedRequestOfProviderAAsync();
        using var providerB = ProviderB();

        foreach (var path in new[] { $"ClaimResponse/{pended.Id}", $"Claim/{pended.Id}", $"ClaimResponse/{pended.Id}/_history/1" })
        {
            var byB = await GetAsync(providerB, $"/fhir/{path}");
            var byA = await GetAsync(Host.Client, $"/fhir/{path}");
            Assert.True(byB.Status == HttpStatusCode.NotFound, $"{path}: {byB.Status}");
            Assert.Equal(HttpStatusCode.OK, byA.Status);
        }
    }

    [Fact]
    public async Task CrossProvider_SearchOfClaimResponsesClaimsAndAnswers_SeesOnlyItsOwn()
    {
        var (request, pended) = await PendedRequestOfProviderAAsync();
        using var providerB = ProviderB();
        var byIdentifier = $"identifier=https://ehr.test.example/prior-auth|{request.ClaimIdentifier}";

        var bSees = await GetAsync(providerB, $"/fhir/Claim?{byIdentifier}&_total=accurate");
        var aSees = await GetAsync(Host.Client, $"/fhir/Claim?{byIdentifier}&_total=accurate");
        var bResponses = await GetAsync(providerB, $"/fhir/ClaimResponse?_id={pended.Id}");
        var bAnswers = await GetAsync(providerB, "/fhir/QuestionnaireResponse?_count=1000");

        Assert.Empty(bSees.Bundle.Entry);
        Assert.Equal(0, bSees.Bundle.Total);
        Assert.Single(aSees.Bundle.Entry);
        Assert.Empty(bResponses.Bundle.Entry);
        Assert.DoesNotContain(bAnswers.Bundle.Entry, e => e.Resource!.Meta!.Tag.Any(t => t.Code!.Contains(TestClients.ProviderNpi, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CrossProvider_InquireAboutAnotherOrganizationsRequest_404OrRefused()
    {
        var (request, _) = await PendedRequestOfProviderAAsync();
        using var providerB = ProviderB();

        // B names itself as the inquirer: not the requester nor in the care team, so not found.
        var asItself = SubmitRecordTests.InquiryFor(new PasRequestBuilder { ClaimIdentifier = request.ClaimIdentifier, RequestorIdentifier = TestClients.OtherProviderNpi }.Line("64628"));
        var answerAsItself = await PasHost.PostAsync(providerB, "/fhir/Claim/$inquire", asItself);

        // B claims to be A: refused, it does not act for A.
        var asA = await PasHost.PostAsync(providerB, "/fhir/Claim/$inquire", SubmitRecordTests.InquiryFor(request));

        Assert.Equal(HttpStatusCode.NotFound, answerAsItself.Status);
        Assert.Equal(HttpStatusCode.Forbidden, asA.Status);
        Assert.Equal("A4", (await Host.InquireAsync(SubmitRecordTests.InquiryFor(request))).ActionOf(1));
    }

    [Fact]
    public async Task CrossProvider_CancelThroughClaimRelatedNamingAnotherOrganizationsClaim_RefusedAndOriginalUntouched()
    {
        var (request, pended) = await PendedRequestOfProviderAAsync();
        using var providerB = ProviderB();
        var cancel = new PasRequestBuilder { ReplacesClaimIdentifier = request.ClaimIdentifier, RequestorIdentifier = TestClients.OtherProviderNpi }.Line("64628", cancelled: true);

        var answer = await PasHost.PostAsync(providerB, "/fhir/Claim/$submit", cancel.Build());

        Assert.Equal((HttpStatusCode)422, answer.Status);
        var inquiry = await Host.InquireAsync(SubmitRecordTests.InquiryFor(request));
        Assert.Equal(FinancialResourceStatusCodes.Active, inquiry.ClaimResponse.Status);
        Assert.Equal(pended.Meta!.VersionId, inquiry.ClaimResponse.Meta!.VersionId);
    }

    [Fact]
    public async Task CrossProvider_ReusingAnotherOrganizationsClaimIdentifier_GetsItsOwnDecisionNeverTheirs()
    {
        var (request, pended) = await PendedRequestOfProviderAAsync();
        using var providerB = ProviderB();
        var reuse = new PasRequestBuilder
        {
            ClaimIdentifier = request.ClaimIdentifier,
            BundleIdentifier = request.BundleIdentifier,
            RequestorIdentifier = TestClients.OtherProviderNpi,
            BirthDate = "1988-08-08",
        }.Line("64628");

        var answer = await PasHost.PostAsync(providerB, "/fhir/Claim/$submit", reuse.Build());

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.NotEqual(pended.Id, answer.ClaimResponse.Id);
        Assert.DoesNotContain("1970-03-14", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_NamingAProviderTheClientDoesNotActFor_403()
    {
        using var providerB = ProviderB();

        var answer = await PasHost.PostAsync(providerB, "/fhir/Claim/$submit", new PasRequestBuilder().Line("64628").Build());

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Contains("Claim.provider", Assert.Single(answer.Outcome.Issue).Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_RequesterCarryingAnotherOrganizationsNpiBesideItsOwn_403AndNothingFiled()
    {
        using var providerB = ProviderB();
        var request = new PasRequestBuilder { RequestorIdentifier = TestClients.OtherProviderNpi }.Line("64628").Build();
        var requestor = (Organization)request.Entry.Single(e => e.Resource is Organization { Id: "requestor" }).Resource!;
        requestor.Identifier.Add(new Identifier(TestClients.NpiSystem, TestClients.ProviderNpi));
        var before = await CountOfClaimResponsesAsync(providerB);

        var answer = await PasHost.PostAsync(providerB, "/fhir/Claim/$submit", request);

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Contains(TestClients.ProviderNpi, Assert.Single(answer.Outcome.Issue).Diagnostics, StringComparison.Ordinal);
        Assert.Equal(before, await CountOfClaimResponsesAsync(providerB));
    }

    private static async Task<int?> CountOfClaimResponsesAsync(HttpClient client)
    {
        using var search = await client.GetAsync("/fhir/ClaimResponse?_summary=count");
        return FhirJson.Parse<Bundle>(await search.Content.ReadAsStringAsync()).Total;
    }

    [Theory]
    [InlineData(TestClients.AdministrationClientId)]
    [InlineData("unbound-client")]
    public async Task Submit_ByAClientBoundToNoProvider_403(string clientId)
    {
        using var client = Host.CreateClientAs(clientId);

        var answer = await PasHost.PostAsync(client, "/fhir/Claim/$submit", new PasRequestBuilder().Line("64628").Build());

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
    }

    [Fact]
    public async Task Inquire_WithoutMemberIdOrProviderNpi_400NamingWhatIsMissing()
    {
        var (request, _) = await PendedRequestOfProviderAAsync();
        var noMember = SubmitRecordTests.InquiryFor(request);
        ((Patient)noMember.Entry.Single(e => e.Resource is Patient).Resource!).Identifier.Clear();
        var noProvider = SubmitRecordTests.InquiryFor(request);
        ((Organization)noProvider.Entry.Single(e => e.Resource is Organization { Id: "requestor" }).Resource!).Identifier.Clear();

        var withoutMember = await Host.InquireAsync(noMember);
        var withoutProvider = await Host.InquireAsync(noProvider);

        Assert.Equal(HttpStatusCode.BadRequest, withoutMember.Status);
        Assert.Contains("member", Assert.Single(withoutMember.Outcome.Issue).Diagnostics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withoutProvider.Status);
        Assert.Contains("NPI", Assert.Single(withoutProvider.Outcome.Issue).Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inquire_ByTheRenderingProviderInTheCareTeam_AnsweredAsPasRequires()
    {
        // Provider B is the practitioner organization rendering the service in A's request.
        var request = new PasRequestBuilder { CareTeamIdentifier = TestClients.OtherProviderNpi }.Line("64628");
        var submitted = await Host.SubmitAsync(request.Build());
        using var providerB = ProviderB();
        var inquiry = SubmitRecordTests.InquiryFor(new PasRequestBuilder { ClaimIdentifier = request.ClaimIdentifier, RequestorIdentifier = TestClients.OtherProviderNpi }.Line("64628"));

        var answer = await PasHost.PostAsync(providerB, "/fhir/Claim/$inquire", inquiry);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(submitted.ClaimResponse.Id, answer.ClaimResponse.Id);
    }

    private static async Task<FhirAnswer> PutAsync(HttpClient client, string path, Resource resource)
    {
        using var content = new StringContent(FhirJson.Serialize(resource), System.Text.Encoding.UTF8, "application/fhir+json");
        using var response = await client.PutAsync(new Uri(path, UriKind.Relative), content);
        return await FhirAnswer.ReadAsync(response);
    }

    private static async Task<FhirAnswer> DeleteAsync(HttpClient client, string path)
    {
        using var response = await client.DeleteAsync(new Uri(path, UriKind.Relative));
        return await FhirAnswer.ReadAsync(response);
    }

    private static async Task<FhirAnswer> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return await FhirAnswer.ReadAsync(response);
    }
}

public sealed class DecisionOwnershipSqliteTests(SqlitePasStore store) : DecisionOwnershipSuite(store), IClassFixture<SqlitePasStore>;

public sealed class DecisionOwnershipPostgresTests(PostgresPasStore store) : DecisionOwnershipSuite(store), IClassFixture<PostgresPasStore>;
