using System.Net;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.PriorAuthorization.Tests.Security;

/// <summary>
/// What an attacker holding provider B's valid token tries after the obvious reads: counts,
/// existence probes, history, subsetting, conditional reads and page tokens against provider A's
/// request. Each probe is sent twice, naming A's real ids and naming ids nobody holds: the two
/// answers must be the same (status, total, entries, message), so nothing tells B that A's
/// request exists, and neither may be a 5xx. Run on both stores.
/// </summary>
public abstract class AttackerSweepSuite(PasStoreFixture store)
{
    private PasHost Host => store.Host;

    /// <summary>Provider A's pended request and what B must never learn of it.</summary>
    private sealed record Target(string ResponseId, string ClaimIdentifier, string Member, string AnswersId);

    private async Task<Target> PendedRequestOfProviderAAsync()
    {
        var request = new PasRequestBuilder().Line("64628").WithAnswers(Host.Fill(Answers.AllMet("bvna").Remove("bvna-bmi")));
        var submitted = await Host.SubmitAsync(request.Build());
        Assert.Equal("A4", submitted.ActionOf(1));
        // The test forms name Patient/member-1; A's newest response is the one just submitted (or another of A's).
        var answers = await GetAsync(Host.Client, "/fhir/QuestionnaireResponse?patient=member-1&_count=1");
        return new Target(submitted.ClaimResponse.Id!, request.ClaimIdentifier, request.PatientId, answers.Bundle.Entry[0].Resource!.Id!);
    }

    private static Target Unknown() => new(
        $"{Guid.NewGuid():N}"[..32],
        $"PA-{Guid.NewGuid():N}",
        $"member-{Guid.NewGuid():N}"[..20],
        $"{Guid.NewGuid():N}"[..32]);

    /// <summary>Probe paths; {cr}, {claim}, {member} and {qr} are A's ids (or unknown ones).</summary>
    public static TheoryData<string> Probes => new()
    {
        "ClaimResponse/{cr}",
        "ClaimResponse/{cr}/_history/1",
        "ClaimResponse/{cr}/_history",
        "ClaimResponse/_history",
        "ClaimResponse/{cr}?_elements=id",
        "ClaimResponse/{cr}?_summary=true",
        "Claim/{cr}?_summary=count",
        "QuestionnaireResponse/{qr}",
        "QuestionnaireResponse/{qr}/_history/1",
        "ClaimResponse?_id={cr}&_summary=count",
        "ClaimResponse?_id={cr}&_total=accurate",
        "ClaimResponse?_id={cr}&_elements=id",
        "ClaimResponse?patient={member}&_summary=count",
        "ClaimResponse?patient=Patient/{member}&_total=accurate",
        "Claim?identifier={claim}&_summary=count",
        "Claim?identifier=https://ehr.test.example/prior-auth|{claim}&_total=accurate",
        "Claim?_id={cr}&status=active&_summary=count",
        "QuestionnaireResponse?patient={member}&_summary=count",
        "QuestionnaireResponse?_id={qr}&_total=accurate",
        "ClaimResponse?_id={cr}&_include=ClaimResponse:request",
        "Claim?_id={cr}&_revinclude=ClaimResponse:request",
        "Claim?patient.identifier={member}",
        "Claim?_has:ClaimResponse:request:_id={cr}",
        "Bundle/{cr}",
        "Task?focus=ClaimResponse/{cr}",
        "Basic?code=cds-hooks-feedback",
        "ExplanationOfBenefit?patient={member}&use=preauthorization",
        "Patient/{member}",
        "Coverage?patient={member}",
        "AuditEvent?entity=ClaimResponse/{cr}",
        "Subscription?status=active",
        "Subscription/{cr}/$status",
    };

    /// <summary>Values a store may refuse rather than match (a NUL byte: PostgreSQL text cannot hold one): a 4xx or no match, never a 5xx.</summary>
    [Theory]
    [InlineData("ClaimResponse?_id=a%00b")]
    [InlineData("ClaimResponse?identifier=x%00y")]
    [InlineData("ClaimResponse?identifier=sys%00tem|value")]
    [InlineData("Claim?patient=Patient/m%00")]
    [InlineData("QuestionnaireResponse?status=completed%00")]
    [InlineData("ClaimResponse?_cursor=azF8MTc2NDc3MDAwMDAwMHxhAGI")]
    public async Task AttackerSweep_NulByteInASearchValueOrPageToken_4xxOrNoMatchNever5xx(string probe)
    {
        using var providerB = Host.CreateClientAs(TestClients.OtherProviderClientId);

        var answer = await GetAsync(providerB, "/fhir/" + probe);

        Assert.True((int)answer.Status < 500, $"{probe}: {answer.Status} {answer.Body}");
        Assert.True(answer.Status == HttpStatusCode.OK ? answer.Bundle.Entry.Count == 0 : answer.Resource is OperationOutcome, answer.Body);
    }

    /// <summary>A NUL character in what $submit and $inquire store or look up: refused or decided, never a 5xx.</summary>
    [Fact]
    public async Task AttackerSweep_NulByteInASubmittedOrInquiredRequest_4xxOrDecidedNever5xx()
    {
        var request = new PasRequestBuilder { ClaimIdentifier = $"PA-\u0000-{Guid.NewGuid():N}" }.Line("64628");
        var bundle = request.Build();
        bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single().Name[0].Family = "Test\u0000member";

        var submitted = await Host.SubmitAsync(bundle);
        var inquired = await Host.InquireAsync(SubmitRecordTests.InquiryFor(request));

        Assert.True((int)submitted.Status < 500, $"$submit: {submitted.Status} {submitted.Body}");
        Assert.True((int)inquired.Status < 500, $"$inquire: {inquired.Status} {inquired.Body}");
    }

    /// <summary>
    /// A NUL character in a query naming a member goes into that request's AuditEvent: the record
    /// must still be stored (the database refusing it would set aside the whole batch, other
    /// callers' records with it, so an attacker could keep requests out of the trail).
    /// </summary>
    [Fact]
    public async Task AttackerSweep_NulByteInAMemberSearch_BothItAndANeighbourAreAudited()
    {
        var marker = $"member-{Guid.NewGuid():N}"[..20];
        using var providerB = Host.CreateClientAs(TestClients.OtherProviderClientId);

        await Task.WhenAll(
            GetAsync(providerB, $"/fhir/Claim?patient=Patient/{marker}%00x"),
            GetAsync(providerB, $"/fhir/Claim?patient=Patient/{marker}"));

        var store = Host.Services.GetRequiredService<SpinePolicy.Storage.IResourceStore>();
        var audited = 0;
        for (var attempt = 0; attempt < 100 && audited < 2; attempt++)
        {
            await Task.Delay(100);
            var page = await store.SearchAsync(new SpinePolicy.Storage.ResourceSearch("AuditEvent") { Count = 1000 }, CancellationToken.None);
            audited = page.Resources.Count(r => r.Json.Contains(marker, StringComparison.Ordinal));
        }

        Assert.Equal(2, audited);
    }

    /// <summary>
    /// A NUL character in who the caller is: an EHR mints its own CDS Hooks "sub", and the agent of
    /// the AuditEvent names it (a FHIR client id likewise). Until 2026-12 the agent was stored as
    /// sent, and on PostgreSQL the record was refused and set aside with its batch, so such a caller
    /// stayed out of the trail and could take its neighbours' records with it.
    /// </summary>
    [Theory]
    [InlineData("cds-hooks")]
    [InlineData("fhir")]
    public async Task AttackerSweep_NulByteInTheCallersOwnName_BothItAndANeighbourAreAudited(string api)
    {
        var marker = $"caller-{Guid.NewGuid():N}"[..20];

        async Task CallAsync(string name)
        {
            if (api == "fhir")
            {
                using var client = Host.CreateClientAs(name);
                using var response = await client.GetAsync(new Uri("/fhir/Questionnaire", UriKind.Relative));
            }
            else
            {
                const string service = "/cds-services/order-sign-crd";
                using var client = Host.CreateClient(TestTokens.MintCdsHooksToken(SpinePolicy.TestKit.SpinePolicyApp.PublicBaseUrl + service, subject: name));
                using var body = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                using var response = await client.PostAsync(new Uri(service, UriKind.Relative), body);
                Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
            }
        }

        await Task.WhenAll(CallAsync($"{marker}\u0000x"), CallAsync($"{marker}-neighbour"));

        var store = Host.Services.GetRequiredService<SpinePolicy.Storage.IResourceStore>();
        var audited = 0;
        for (var attempt = 0; attempt < 100 && audited < 2; attempt++)
        {
            await Task.Delay(100);
            var page = await store.SearchAsync(new SpinePolicy.Storage.ResourceSearch("AuditEvent") { Count = 1000 }, CancellationToken.None);
            audited = page.Resources.Count(r => r.Json.Contains(marker, StringComparison.Ordinal));
        }

        Assert.Equal(2, audited);
    }

    /// <summary>Methods a router may answer differently for a record it holds (HEAD, OPTIONS).</summary>
    [Theory]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    public async Task AttackerSweep_OtherMethodsOnAnotherOrganizationsRecord_AnswerAsForAnUnknownOne(string method)
    {
        var target = await PendedRequestOfProviderAAsync();
        using var providerB = Host.CreateClientAs(TestClients.OtherProviderClientId);

        async Task<HttpStatusCode> SendAsync(string id)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), $"/fhir/ClaimResponse/{id}");
            using var response = await providerB.SendAsync(request);
            return response.StatusCode;
        }

        var real = await SendAsync(target.ResponseId);
        var unknown = await SendAsync(Unknown().ResponseId);

        Assert.True((int)real < 500, $"{method}: {real}");
        Assert.Equal(unknown, real);
    }

    [Theory]
    [MemberData(nameof(Probes))]
    public async Task AttackerSweep_ProbeOfAnotherOrganizationsRequest_AnswersAsForAnUnknownOne(string probe)
    {
        var target = await PendedRequestOfProviderAAsync();
        using var providerB = Host.CreateClientAs(TestClients.OtherProviderClientId);

        var real = await ProbeAsync(providerB, probe, target);
        var unknown = await ProbeAsync(providerB, probe, Unknown());

        Assert.True((int)real.Status < 500, $"{probe}: {real.Status}");
        Assert.Equal(unknown.Status, real.Status);
        Assert.Equal(unknown.Shape, real.Shape);
    }

    /// <summary>A conditional read (If-None-Match) of A's record: a 304 would say "it exists, version 1".</summary>
    [Theory]
    [InlineData("W/\"1\"")]
    [InlineData("*")]
    public async Task AttackerSweep_ConditionalReadOfAnotherOrganizationsRecord_404NeverNotModified(string etag)
    {
        var target = await PendedRequestOfProviderAAsync();
        using var providerB = Host.CreateClientAs(TestClients.OtherProviderClientId);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/fhir/ClaimResponse/{target.ResponseId}");
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);

        using var response = await providerB.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>A's next-page link replayed with B's token, and page tokens B forged: never A's entries, never a 5xx.</summary>
    [Fact]
    public async Task AttackerSweep_PageTokenOfAnotherOrganizationsSearchReplayedOrTampered_NeverTheirEntries()
    {
        var first = await PendedRequestOfProviderAAsync();
        var second = await PendedRequestOfProviderAAsync();
        var firstPage = await GetAsync(Host.Client, "/fhir/ClaimResponse?_count=1");
        var next = firstPage.Bundle.Link.Single(l => l.Relation == "next").Url!;
        var cursor = Regex.Match(next, "_cursor=([^&]+)").Groups[1].Value;
        using var providerB = Host.CreateClientAs(TestClients.OtherProviderClientId);

        var replayed = await GetAsync(providerB, new Uri(next).PathAndQuery);
        var tampered = new List<FhirAnswer>();
        foreach (var forged in new[] { cursor[..^2], cursor + "AA", Uri.EscapeDataString(Convert.ToBase64String("{\"owner\":null}"u8.ToArray())), "..%2F..", new string('A', 4000) })
        {
            tampered.Add(await GetAsync(providerB, $"/fhir/ClaimResponse?_cursor={forged}"));
        }

        Assert.Equal(HttpStatusCode.OK, replayed.Status);
        Assert.DoesNotContain(first.ResponseId, replayed.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(second.ResponseId, replayed.Body, StringComparison.Ordinal);
        foreach (var answer in tampered)
        {
            Assert.True(answer.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{answer.Status}: {answer.Body}");
            Assert.DoesNotContain(first.ResponseId, answer.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(second.ResponseId, answer.Body, StringComparison.Ordinal);
        }
    }

    /// <summary>Operations B would try with A's ids: the payer's own ($review) refuse a provider; none answers with A's data.</summary>
    [Fact]
    public async Task AttackerSweep_PayerOperationsFromAProviderToken_403AndNothingOfTheirs()
    {
        var target = await PendedRequestOfProviderAAsync();
        using var providerB = Host.CreateClientAs(TestClients.OtherProviderClientId);

        var review = await PasHost.PostAsync(providerB, $"/fhir/ClaimResponse/{target.ResponseId}/$review", SubscriptionRequests.Decision(1, "A1", "approved by B"));
        var matchBody = new Parameters();
        matchBody.Parameter.Add(new Parameters.ParameterComponent { Name = "MemberPatient", Resource = new Patient { Id = target.Member, BirthDate = "1970-03-14", Name = [new HumanName { Family = "Testmember" }] } });
        var match = await PasHost.PostAsync(providerB, "/fhir/Patient/$member-match", matchBody);

        Assert.Equal(HttpStatusCode.Forbidden, review.Status);
        Assert.Equal(HttpStatusCode.Forbidden, match.Status);
        Assert.Equal("A4", (await GetAsync(Host.Client, $"/fhir/ClaimResponse/{target.ResponseId}")).Resource is ClaimResponse stored
            ? ClaimResponseAction(stored)
            : null);
    }

    /// <summary>
    /// $inquire from B naming, beside its own NPI, provider A's NPI on the requesting organization
    /// (or as Claim.provider's logical identifier): B acts for one of them, but a request is matched
    /// only on the identifiers B acts for, so A's decision, member name and birth date stay A's.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AttackerSweep_InquireListingAnotherOrganizationsNpiBesideItsOwn_404NeverTheirDecision(bool asLogicalIdentifier)
    {
        var request = new PasRequestBuilder { BirthDate = "1961-06-17" }.Line("64628").WithAnswers(Host.Fill(Answers.AllMet("bvna").Remove("bvna-bmi")));
        Assert.Equal("A4", (await Host.SubmitAsync(request.Build())).ActionOf(1));
        var inquiry = SubmitRecordTests.InquiryFor(new PasRequestBuilder { ClaimIdentifier = request.ClaimIdentifier, PatientId = request.PatientId, RequestorIdentifier = TestClients.ProviderNpi }.Line("64628"));
        var claim = (Claim)inquiry.Entry[0].Resource!;
        if (asLogicalIdentifier)
        {
            ((Organization)inquiry.Entry.Single(e => e.Resource is Organization { Id: "requestor" }).Resource!).Identifier = [new Identifier(TestClients.NpiSystem, TestClients.OtherProviderNpi)];
            claim.Provider.Identifier = new Identifier(TestClients.NpiSystem, TestClients.ProviderNpi);
        }
        else
        {
            ((Organization)inquiry.Entry.Single(e => e.Resource is Organization { Id: "requestor" }).Resource!).Identifier.Add(new Identifier(TestClients.NpiSystem, TestClients.OtherProviderNpi));
        }

        using var providerB = Host.CreateClientAs(TestClients.OtherProviderClientId);
        var answer = await PasHost.PostAsync(providerB, "/fhir/Claim/$inquire", inquiry);

        Assert.True(answer.Status is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{answer.Status}: {answer.Body}");
        Assert.DoesNotContain("1961-06-17", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Testmember", answer.Body, StringComparison.Ordinal);
    }

    private static string? ClaimResponseAction(ClaimResponse response) =>
        ClaimResponseItems.ActionOf(response.Item[0])?.X12().Code;

    /// <summary>What of an answer may differ only by the ids named: status, total, entry ids, messages.</summary>
    private sealed record ProbeAnswer(HttpStatusCode Status, string Shape);

    private static async Task<ProbeAnswer> ProbeAsync(HttpClient client, string probe, Target target)
    {
        var path = "/fhir/" + Fill(probe, target);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var answer = await FhirAnswer.ReadAsync(response);
        var shape = answer.Resource switch
        {
            Bundle bundle => $"Bundle total={bundle.Total} entries=[{string.Join(",", bundle.Entry.Select(e => e.Resource?.TypeName + "/" + e.Resource?.Id))}]",
            OperationOutcome outcome => $"OperationOutcome {string.Join(" | ", outcome.Issue.Select(i => $"{i.Code}: {i.Diagnostics}"))}",
            { } other => other.TypeName + "/" + other.Id,
            null => answer.Body,
        };
        return new ProbeAnswer(answer.Status, Anonymize(shape, target));
    }

    private static string Fill(string probe, Target target) => probe
        .Replace("{cr}", target.ResponseId, StringComparison.Ordinal)
        .Replace("{claim}", target.ClaimIdentifier, StringComparison.Ordinal)
        .Replace("{member}", target.Member, StringComparison.Ordinal)
        .Replace("{qr}", target.AnswersId, StringComparison.Ordinal);

    /// <summary>The ids the caller itself sent may be echoed; everything else must be the same.</summary>
    private static string Anonymize(string text, Target target) => text
        .Replace(target.ResponseId, "{cr}", StringComparison.Ordinal)
        .Replace(target.ClaimIdentifier, "{claim}", StringComparison.Ordinal)
        .Replace(target.Member, "{member}", StringComparison.Ordinal)
        .Replace(target.AnswersId, "{qr}", StringComparison.Ordinal);

    private static async Task<FhirAnswer> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return await FhirAnswer.ReadAsync(response);
    }
}

public sealed class AttackerSweepSqliteTests(SqlitePasStore store) : AttackerSweepSuite(store), IClassFixture<SqlitePasStore>;

public sealed class AttackerSweepPostgresTests(PostgresPasStore store) : AttackerSweepSuite(store), IClassFixture<PostgresPasStore>;
