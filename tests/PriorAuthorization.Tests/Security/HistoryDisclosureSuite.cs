using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.PriorAuthorization.Tests.Security;

/// <summary>
/// P7.16 and P8 count the member's requests from every provider, but a decision's words name a
/// request's id only to the organization it is filed under: provider B, denied because of provider
/// A's request for the same member, learns the levels or the procedure and its date (clinical
/// facts it needs), never A's ClaimResponse id or Claim identifier. Run on both stores.
/// </summary>
public abstract class HistoryDisclosureSuite(PasStoreFixture store)
{
    private PasHost Host => store.Host;

    private static string NewMember() => $"member-{Guid.NewGuid():N}"[..20];

    /// <summary>A BVNA whose form says there was no earlier BVNA and plans the given levels.</summary>
    private PasRequestBuilder Bvna(string member, string serviceDate, string requestor, params string[] levels) =>
        new PasRequestBuilder { PatientId = member, ServiceDate = serviceDate, RequestorIdentifier = requestor }
            .Line("64628")
            .WithAnswers(Host.Fill(Answers.AllMet("bvna").Set("bvna-treated-levels", levels)));

    private async Task<(PasRequestBuilder Request, ClaimResponse Response)> CertifiedBvnaOfProviderAAsync(string member)
    {
        var request = Bvna(member, "2026-03-02", TestClients.ProviderNpi, "L4");
        var answer = await Host.SubmitAsync(request.Build());
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
        Assert.Equal("A1", answer.ActionOf(1));
        return (request, answer.ClaimResponse);
    }

    private async Task<FhirAnswer> SubmitAsProviderBAsync(PasRequestBuilder request)
    {
        using var providerB = Host.CreateClientAs(TestClients.OtherProviderClientId);
        var answer = await PasHost.PostAsync(providerB, "/fhir/Claim/$submit", request.Build());
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
        return answer;
    }

    private static void AssertNamesNothingOf(FhirAnswer answer, PasRequestBuilder request, ClaimResponse response)
    {
        Assert.DoesNotContain(response.Id!, answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(request.ClaimIdentifier, answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(request.BundleIdentifier, answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P7.16")]
    public async Task HistoryDisclosure_RepeatBvnaOnALevelAnotherProviderHadCertified_DeniedNamingTheLevelNotTheirRequest()
    {
        var member = NewMember();
        var (requestOfA, certifiedForA) = await CertifiedBvnaOfProviderAAsync(member);

        var repeatByB = await SubmitAsProviderBAsync(Bvna(member, "2026-09-01", TestClients.OtherProviderNpi, "L4"));

        Assert.Equal("A3", repeatByB.ActionOf(1));
        var notes = repeatByB.NotesOf(1);
        Assert.Contains("P7.16", notes, StringComparison.Ordinal);
        Assert.Contains("L4 in a request certified for another provider", notes, StringComparison.Ordinal);
        AssertNamesNothingOf(repeatByB, requestOfA, certifiedForA);
    }

    [Fact]
    [Trait("Clause", "P7.16")]
    public async Task HistoryDisclosure_RepeatBvnaOnALevelTheSameProviderHadCertified_DeniedNamingItsOwnRequest()
    {
        var member = NewMember();
        var (_, certifiedForA) = await CertifiedBvnaOfProviderAAsync(member);

        var repeatByA = await Host.SubmitAsync(Bvna(member, "2026-09-01", TestClients.ProviderNpi, "L4").Build());

        Assert.Equal("A3", repeatByA.ActionOf(1));
        Assert.Contains($"L4 in certified request {certifiedForA.Id}", repeatByA.NotesOf(1), StringComparison.Ordinal);
    }

    [Theory]
    [Trait("Clause", "P8")]
    [InlineData(true, "certified")]
    [InlineData(false, "pending")]
    public async Task HistoryDisclosure_BvnaOnTheDateOfAnotherProvidersEpidural_DeniedAsConcurrentNamingNotTheirRequest(bool certified, string state)
    {
        var member = NewMember();
        var esi = Answers.AllMet("esi");
        var epiduralOfA = new PasRequestBuilder { PatientId = member, ServiceDate = "2026-03-02" }
            .Line("62323")
            .WithAnswers(Host.Fill(certified ? esi : esi.Remove("esi-radicular-pain-or-neurogenic-claudication")));
        var answerToA = await Host.SubmitAsync(epiduralOfA.Build());
        Assert.Equal(certified ? "A1" : "A4", answerToA.ActionOf(1));

        var bvnaByB = await SubmitAsProviderBAsync(Bvna(member, "2026-03-02", TestClients.OtherProviderNpi, "L4"));
        var bvnaByA = await Host.SubmitAsync(Bvna(member, "2026-03-02", TestClients.ProviderNpi, "L4").Build());

        Assert.Equal("A3", bvnaByB.ActionOf(1));
        Assert.Contains($"62323 on 2026-03-02 in a request {state} for another provider", bvnaByB.NotesOf(1), StringComparison.Ordinal);
        AssertNamesNothingOf(bvnaByB, epiduralOfA, answerToA.ClaimResponse);
        Assert.Equal("A3", bvnaByA.ActionOf(1));
        Assert.Contains($"in the member's {state} request {answerToA.ClaimResponse.Id}", bvnaByA.NotesOf(1), StringComparison.Ordinal);
    }
}

public sealed class HistoryDisclosureSqliteTests(SqlitePasStore store) : HistoryDisclosureSuite(store), IClassFixture<SqlitePasStore>;

public sealed class HistoryDisclosurePostgresTests(PostgresPasStore store) : HistoryDisclosureSuite(store), IClassFixture<PostgresPasStore>;
