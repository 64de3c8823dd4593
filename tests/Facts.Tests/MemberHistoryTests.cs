using System.Globalization;
using Hl7.Fhir.Model;
using SpinePolicy.Facts.Tests.Support;

namespace SpinePolicy.Facts.Tests;

/// <summary>
/// The member's history counts whatever path it came by: BVNA this payer certified counts as prior
/// treatment (P7.16) in DTR's draft, DTR's decision ($next-question) and PAS, and a procedure on
/// the same date of service in another request of the member makes a BVNA concurrent (P8) in CRD,
/// DTR and PAS.
/// </summary>
public sealed class MemberHistoryTests : IClassFixture<MemberHistoryTests.Server>
{
    private readonly ThreeSlices _slices;

    public MemberHistoryTests(Server server) => _slices = server.Slices;

    /// <summary>Dates ahead, under the current version.</summary>
    private static string Day(int offset) => DateTime.UtcNow.Date.AddDays(60 + offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Member NewMember() => new("1970-05-04", Id: $"member-{Guid.NewGuid():N}"[..20]);

    [Fact]
    [Trait("Clause", "P7.16")]
    public async System.Threading.Tasks.Task Bvna_OnALevelThisPayerCertifiedBefore_DraftPrefillsItAndSubmitDeniesEvenWhenTheFormSaysNoEarlierBvna()
    {
        var member = NewMember();
        var first = Order.On("bvna-1", "64628", Day(0));
        var (_, certified) = await _slices.SubmitAsync(PasBundle.For(member, [first], [Form.ApprovableBvna(_slices.Policy, _slices.Catalog, "L4", "L5").Build(member, [first])]));
        Assert.Equal(["A1"], Answers.Actions(certified));
        var certifiedId = Answers.ClaimResponse(certified).Id;

        var repeat = Order.On("bvna-2", "64628", Day(90));
        var (_, package) = await _slices.PackageAsync(member, [repeat]);
        var draft = Assert.IsType<Parameters>(package).Parameter.Select(p => p.Resource).OfType<Bundle>().Single()
            .Entry.Select(e => e.Resource).OfType<QuestionnaireResponse>().Single();
        var prefilled = Flatten(draft.Item).SelectMany(i => i.Answer).Select(a => a.Value).ToList();
        Assert.Contains(prefilled, v => v is FhirBoolean { Value: true });
        Assert.Equal(["L4", "L5"], prefilled.OfType<Coding>().Select(c => c.Code));

        var form = Form.ApprovableBvna(_slices.Policy, _slices.Catalog, "L5", "S1");
        var (_, denied) = await _slices.SubmitAsync(PasBundle.For(member, [repeat], [form.Build(member, [repeat])]));

        Assert.Equal(["A3"], Answers.Actions(denied));
        var notes = Answers.Notes(denied);
        Assert.Contains($"L5 in certified request {certifiedId}", notes, StringComparison.Ordinal);
        Assert.Contains("P7.16", notes, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P7.16")]
    public async System.Threading.Tasks.Task Bvna_OnOtherLevelsThanTheCertifiedOne_IsCertified()
    {
        var member = NewMember();
        var first = Order.On("bvna-1", "64628", Day(0));
        await _slices.SubmitAsync(PasBundle.For(member, [first], [Form.ApprovableBvna(_slices.Policy, _slices.Catalog, "L3", "L4").Build(member, [first])]));

        var other = Order.On("bvna-2", "64628", Day(90));
        var (_, pas) = await _slices.SubmitAsync(PasBundle.For(member, [other], [Form.ApprovableBvna(_slices.Policy, _slices.Catalog, "L5", "S1").Build(member, [other])]));

        Assert.Equal(["A1"], Answers.Actions(pas));
    }

    [Fact]
    [Trait("Clause", "P8")]
    public async System.Threading.Tasks.Task Bvna_OnTheDateOfAnEsiCertifiedInAnotherRequest_IsConcurrentInCrdAndPas_AndNotOnTheNextDay()
    {
        var member = NewMember();
        var esi = Order.On("esi-1", "64483", Day(0));
        var (_, esiResponse) = await _slices.SubmitAsync(PasBundle.For(member, [esi], [Form.ApprovableEsi(_slices.Policy, _slices.Catalog).Build(member, [esi])]));
        Assert.Equal(["A1"], Answers.Actions(esiResponse));

        var sameDay = Order.On("bvna-same-day", "64628", Day(0));
        var (_, crd) = await _slices.OrderSignAsync(member, sameDay);
        var (_, pas) = await _slices.SubmitAsync(PasBundle.For(member, [sameDay], [Form.ApprovableBvna(_slices.Policy, _slices.Catalog).Build(member, [sameDay])]));
        var nextDay = Order.On("bvna-next-day", "64628", Day(1));
        var (_, nextDayPas) = await _slices.SubmitAsync(PasBundle.For(member, [nextDay], [Form.ApprovableBvna(_slices.Policy, _slices.Catalog).Build(member, [nextDay])]));

        Assert.Contains(Answers.CardSummaries(crd), s => s.Contains("BVNA with another spine procedure is investigational (P8)", StringComparison.Ordinal));
        // An EHR is bound to no organization: its cards say where, never which request.
        Assert.Contains("64483", crd.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Answers.ClaimResponse(esiResponse).Id!, crd.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(["A3"], Answers.Actions(pas));
        Assert.Contains($"64483 on {Day(0)} in the member's certified request {Answers.ClaimResponse(esiResponse).Id}", Answers.Notes(pas), StringComparison.Ordinal);
        Assert.Equal(["A1"], Answers.Actions(nextDayPas));
    }

    [Fact]
    [Trait("Clause", "P8")]
    public async System.Threading.Tasks.Task Bvna_AndEsiInOneRequestOnDifferentDates_AreNotConcurrent()
    {
        var member = NewMember();
        Order[] orders = [Order.On("bvna", "64628", Day(0)), Order.On("esi", "64483", Day(14))];
        var forms = new[] { Form.ApprovableBvna(_slices.Policy, _slices.Catalog).Build(member, orders), Form.ApprovableEsi(_slices.Policy, _slices.Catalog).Build(member, orders) };

        var (_, pas) = await _slices.SubmitAsync(PasBundle.For(member, orders, forms));

        Assert.Equal(["A1", "A1"], Answers.Actions(pas));
    }

    [Theory]
    [Trait("Clause", "P8")]
    [InlineData("64483", "A3")] // ESI: a named family
    [InlineData("64450", "A3")] // a listed nerve block
    [InlineData("27096", "A3")] // any other procedure (CPT surgery section): the list is open
    [InlineData("99213", "A1")] // evaluation and management
    [InlineData("77003", "A1")] // fluoroscopic guidance
    [InlineData("0275T", "A4")] // a code the policy cannot classify: review, never certify
    [InlineData("72148", "A4")]
    public async System.Threading.Tasks.Task Bvna_WithAnotherCodeOnTheSameDateInOneRequest_IsDecidedByWhatThatCodeIs(string other, string bvnaAction)
    {
        var member = NewMember();
        Order[] orders = [Order.On("bvna", "64628", Day(0)), Order.On("other", other, Day(0))];
        var forms = new[] { Form.ApprovableBvna(_slices.Policy, _slices.Catalog).Build(member, orders), Form.ApprovableEsi(_slices.Policy, _slices.Catalog).Build(member, orders) };

        var (_, crd) = await _slices.OrderSignAsync(member, orders);
        var (_, pas) = await _slices.SubmitAsync(PasBundle.For(member, orders, forms));

        Assert.Equal(bvnaAction, Answers.Actions(pas)[0]);
        var summaries = Answers.CardSummaries(crd);
        Assert.Equal(bvnaAction == "A3", summaries.Any(s => s.Contains("CPT 64628: BVNA with another spine procedure is investigational (P8)", StringComparison.Ordinal)));
        Assert.Equal(bvnaAction == "A4", summaries.Any(s => s.Contains("CPT 64628: another service on the date of service needs review for concurrency (P8)", StringComparison.Ordinal)));
    }

    [Theory]
    [Trait("Clause", "P8")]
    [InlineData(true)]
    [InlineData(false)]
    public async System.Threading.Tasks.Task Bvna_OnTheDateOfAnEsiCertifiedInAnotherRequest_NextQuestionSaysNotCoveredAsCrdAndPasDo_AndCoveredTheNextDay(bool containPatient)
    {
        var member = NewMember();
        var esi = Order.On("esi-1", "64483", Day(0));
        var (_, esiResponse) = await _slices.SubmitAsync(PasBundle.For(member, [esi], [Form.ApprovableEsi(_slices.Policy, _slices.Catalog).Build(member, [esi])]));
        Assert.Equal(["A1"], Answers.Actions(esiResponse));

        var sameDay = Order.On("bvna-same-day", "64628", Day(0));
        // Without the Patient the form states the age, and the subject is the EHR's Patient reference.
        var (_, dtr) = await _slices.NextQuestionAsync(Form.ApprovableBvna(_slices.Policy, _slices.Catalog).Age(56).Build(member, [sameDay], containPatient));
        var nextDay = Order.On("bvna-next-day", "64628", Day(1));
        var (_, nextDayDtr) = await _slices.NextQuestionAsync(Form.ApprovableBvna(_slices.Policy, _slices.Catalog).Age(56).Build(member, [nextDay], containPatient));

        var information = Answers.CoverageInformation(dtr);
        Assert.Equal("not-covered", information["covered"]);
        Assert.Contains($"P8: Basivertebral nerve ablation performed concurrently with another procedure (64483 on {Day(0)} in the member's certified request {Answers.ClaimResponse(esiResponse).Id})", information["reason"], StringComparison.Ordinal);
        Assert.Equal("covered", Answers.CoverageInformation(nextDayDtr)["covered"]);
    }

    [Fact]
    [Trait("Clause", "P8")]
    public async System.Threading.Tasks.Task Bvna_OnTheDateOfAnotherProvidersCertifiedEsi_NextQuestionSaysNotCoveredNamingTheProcedureNotTheirRequest()
    {
        var member = NewMember();
        var esi = Order.On("esi-1", "64483", Day(0));
        var (_, esiResponse) = await _slices.SubmitAsync(PasBundle.For(member, [esi], [Form.ApprovableEsi(_slices.Policy, _slices.Catalog).Build(member, [esi])]));
        Assert.Equal(["A1"], Answers.Actions(esiResponse));

        using var otherProvider = _slices.App.CreateFhirClientAs(SpinePolicy.TestKit.Security.TestClients.OtherProviderClientId);
        var bvna = Order.On("bvna-1", "64628", Day(0));
        var (_, dtr) = await _slices.NextQuestionAsync(Form.ApprovableBvna(_slices.Policy, _slices.Catalog).Build(member, [bvna], containPatient: true), otherProvider);

        var information = Answers.CoverageInformation(dtr);
        Assert.Equal("not-covered", information["covered"]);
        Assert.Contains($"64483 on {Day(0)} in a request certified for another provider", information["reason"], StringComparison.Ordinal);
        Assert.DoesNotContain(Answers.ClaimResponse(esiResponse).Id!, information["reason"], StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P8")]
    public async System.Threading.Tasks.Task Esi_OnTheDateOfAnotherProvidersCertifiedBvna_PendedAndWarnedOfNamingTheProcedureNotTheirRequest()
    {
        var member = NewMember();
        var bvna = Order.On("bvna-1", "64628", Day(0));
        var (_, bvnaResponse) = await _slices.SubmitAsync(PasBundle.For(member, [bvna], [Form.ApprovableBvna(_slices.Policy, _slices.Catalog).Build(member, [bvna])]));
        Assert.Equal(["A1"], Answers.Actions(bvnaResponse));
        var bvnaRequestId = Answers.ClaimResponse(bvnaResponse).Id!;

        // Another organization's provider orders and submits an epidural for the same member and day.
        var esi = Order.On("esi-1", "64483", Day(0));
        var (_, crd) = await _slices.OrderSignAsync(member, esi);
        var request = PasBundle.For(member, [esi], [Form.ApprovableEsi(_slices.Policy, _slices.Catalog).Build(member, [esi])]);
        foreach (var entry in request.Entry)
        {
            var npi = entry.Resource switch
            {
                Organization { Id: "requestor" } requestor => requestor.Identifier,
                Practitioner practitioner => practitioner.Identifier,
                _ => [],
            };
            npi.ForEach(i => i.Value = SpinePolicy.TestKit.Security.TestClients.OtherProviderNpi);
        }

        using var otherProvider = _slices.App.CreateFhirClientAs(SpinePolicy.TestKit.Security.TestClients.OtherProviderClientId);
        var (status, pas) = await _slices.PostAsync("/fhir/Claim/$submit", request, otherProvider);

        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Equal(["A4"], Answers.Actions(pas));
        Assert.Contains($"64628 on {Day(0)} in a request certified for another provider", Answers.Notes(pas), StringComparison.Ordinal);
        Assert.DoesNotContain(bvnaRequestId, Answers.Notes(pas), StringComparison.Ordinal);
        Assert.Contains("64628", crd.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("P8", crd.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(bvnaRequestId, crd.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P7.16")]
    public async System.Threading.Tasks.Task Bvna_OnALevelThisPayerCertifiedBefore_NextQuestionSaysNotCoveredAsPasDoes_EvenWhenTheFormSaysNoEarlierBvna()
    {
        var member = NewMember();
        var first = Order.On("bvna-1", "64628", Day(0));
        var (_, certified) = await _slices.SubmitAsync(PasBundle.For(member, [first], [Form.ApprovableBvna(_slices.Policy, _slices.Catalog, "L4", "L5").Build(member, [first])]));
        Assert.Equal(["A1"], Answers.Actions(certified));

        var repeat = Order.On("bvna-2", "64628", Day(90));
        var (_, sameLevel) = await _slices.NextQuestionAsync(Form.ApprovableBvna(_slices.Policy, _slices.Catalog, "L5", "S1").Age(56).Build(member, [repeat]));
        var (_, otherLevels) = await _slices.NextQuestionAsync(Form.ApprovableBvna(_slices.Policy, _slices.Catalog, "L3").Age(56).Build(member, [repeat]));

        var information = Answers.CoverageInformation(sameLevel);
        Assert.Equal("not-covered", information["covered"]);
        Assert.Contains($"L5 in certified request {Answers.ClaimResponse(certified).Id}", information["reason"], StringComparison.Ordinal);
        Assert.Contains("P7.16", information["reason"], StringComparison.Ordinal);
        Assert.Equal("covered", Answers.CoverageInformation(otherLevels)["covered"]);
    }

    private static IEnumerable<QuestionnaireResponse.ItemComponent> Flatten(IEnumerable<QuestionnaireResponse.ItemComponent> items) =>
        items.SelectMany(i => new[] { i }.Concat(Flatten(i.Item)));

    public sealed class Server : IDisposable
    {
        public ThreeSlices Slices { get; } = new();

        public void Dispose() => Slices.Dispose();
    }
}
