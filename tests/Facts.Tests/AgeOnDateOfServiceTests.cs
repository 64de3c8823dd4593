using System.Globalization;
using System.Net;
using SpinePolicy.Facts.Tests.Support;

namespace SpinePolicy.Facts.Tests;

/// <summary>
/// P1/P6: the age limits apply to the member's age on the date of service (the order's
/// occurrence, the Claim item's serviced date), in CRD, DTR and PAS alike; a partial birth date whose
/// possible ages straddle a limit is an unknown age (pended for review), never an assumed one.
/// </summary>
public sealed class AgeOnDateOfServiceTests : IClassFixture<AgeOnDateOfServiceTests.Server>
{
    /// <summary>A fixed date of service in the future (so "today" never decides), under the current version.</summary>
    private const string DateOfService = "2027-06-15";

    private readonly ThreeSlices _slices;

    public AgeOnDateOfServiceTests(Server server) => _slices = server.Slices;

    [Fact]
    [Trait("Clause", "P6")]
    public async System.Threading.Tasks.Task Bvna_MemberTurns25AWeekBeforeTheDateOfService_CoveredInCrdDtrAndPas()
    {
        var outcome = await DecideAsync(Born(DateOnly.Parse(DateOfService, CultureInfo.InvariantCulture).AddDays(-7).AddYears(-25)));

        Assert.DoesNotContain(outcome.CardSummaries, s => s.Contains("minimum age", StringComparison.Ordinal));
        Assert.Equal("auth-needed", outcome.Crd["pa-needed"]);
        Assert.Equal("covered", outcome.Dtr["covered"]);
        Assert.Equal(["A1"], outcome.Pas);
    }

    [Fact]
    [Trait("Clause", "P6")]
    public async System.Threading.Tasks.Task Bvna_MemberTurns25AWeekAfterTheDateOfService_Under25InCrdDtrAndPas()
    {
        var outcome = await DecideAsync(Born(DateOnly.Parse(DateOfService, CultureInfo.InvariantCulture).AddDays(7).AddYears(-25)));

        Assert.Contains(outcome.CardSummaries, s => s.Contains("minimum age (P6)", StringComparison.Ordinal));
        Assert.Equal("not-covered", outcome.Dtr["covered"]);
        Assert.Contains("under 25", outcome.Dtr["reason"], StringComparison.Ordinal);
        Assert.Equal(["A3"], outcome.Pas);
    }

    [Theory]
    [Trait("Clause", "P6")]
    [InlineData("2002")]
    [InlineData("2002-06")]
    public async System.Threading.Tasks.Task Bvna_PartialBirthDateStraddling25_PendedInDtrAndPasAndFlaggedInCrd(string birthDate)
    {
        var outcome = await DecideAsync(birthDate);

        Assert.Contains(outcome.CardSummaries, s => s.Contains("age on the date of service is uncertain", StringComparison.Ordinal));
        Assert.Equal("conditional", outcome.Dtr["covered"]);
        Assert.Contains("may be 24 or 25", outcome.Dtr["reason"], StringComparison.Ordinal);
        Assert.Equal(["A4"], outcome.Pas);
    }

    [Theory]
    [Trait("Clause", "P6")]
    [InlineData("2001", "covered", "A1")]
    [InlineData("2002-07", "not-covered", "A3")]
    [InlineData("2002-05", "covered", "A1")]
    public async System.Threading.Tasks.Task Bvna_PartialBirthDateOnOneSideOf25_DecidedInDtrAndPas(string birthDate, string covered, string action)
    {
        var outcome = await DecideAsync(birthDate);

        Assert.Equal(covered, outcome.Dtr["covered"]);
        Assert.Equal([action], outcome.Pas);
    }

    [Theory]
    [Trait("Clause", "P1")]
    [InlineData(-7, "covered", "A1")]
    [InlineData(7, "conditional", "A4")]
    public async System.Threading.Tasks.Task Esi_MemberTurns18AroundTheDateOfService_DecidedOnTheAgeThatDayInCrdDtrAndPas(int birthdayOffsetDays, string covered, string action)
    {
        var outcome = await DecideEsiAsync(Born(DateOnly.Parse(DateOfService, CultureInfo.InvariantCulture).AddDays(birthdayOffsetDays).AddYears(-18)));

        Assert.Equal(birthdayOffsetDays > 0, outcome.CardSummaries.Any(s => s.Contains("minimum age (P1)", StringComparison.Ordinal)));
        // PA is required either way (P3); a minor's request pends for review rather than being denied (P1).
        Assert.Equal("auth-needed", outcome.Crd["pa-needed"]);
        Assert.Equal(covered, outcome.Dtr["covered"]);
        Assert.Equal([action], outcome.Pas);
    }

    [Theory]
    [Trait("Clause", "P1")]
    [InlineData("2009", "A4")]
    [InlineData("2009-06", "A4")]
    [InlineData("2009-05", "A1")]
    [InlineData("2008", "A1")]
    public async System.Threading.Tasks.Task Esi_PartialBirthDate_PendedOnlyWhenItsPossibleAgesStraddle18(string birthDate, string action)
    {
        var outcome = await DecideEsiAsync(birthDate);

        Assert.Equal([action], outcome.Pas);
        Assert.Equal(action == "A1" ? "covered" : "conditional", outcome.Dtr["covered"]);
        if (birthDate is "2009" or "2009-06")
        {
            Assert.Contains(outcome.CardSummaries, s => s.Contains("age on the date of service is uncertain", StringComparison.Ordinal));
            Assert.Contains("may be 17 or 18", outcome.Dtr["reason"], StringComparison.Ordinal);
        }
    }

    [Fact]
    [Trait("Clause", "P6")]
    public async System.Threading.Tasks.Task Bvna_NoDateOfServiceAndMemberTurns25Tomorrow_TodaysAgeDecidesInCrdDtrAndPas()
    {
        var member = new Member(Born(Today.AddDays(1).AddYears(-25)), Id: $"member-{Guid.NewGuid():N}"[..20]);
        var order = Order.Of("bvna", "64628");
        var form = Form.ApprovableBvna(_slices.Policy, _slices.Catalog);

        var (_, crd) = await _slices.OrderSignAsync(member, order);
        var (_, dtr) = await _slices.NextQuestionAsync(form.Build(member, [order], containPatient: true));
        var (_, pas) = await _slices.SubmitAsync(PasBundle.For(member, [order], [form.Build(member, [order])]));

        Assert.Contains(Answers.CardSummaries(crd), s => s.Contains("minimum age (P6)", StringComparison.Ordinal));
        Assert.Equal("not-covered", Answers.CoverageInformation(dtr)["covered"]);
        Assert.Equal(["A3"], Answers.Actions(pas));
    }

    [Fact]
    [Trait("Clause", "P6")]
    public async System.Threading.Tasks.Task Package_MemberTurns25BeforeTheDateOfService_DraftStatesTheAgeOnThatDate()
    {
        var member = new Member(Born(Today.AddDays(30).AddYears(-25)), Id: $"member-{Guid.NewGuid():N}"[..20]);
        var order = Order.On("bvna", "64628", Born(Today.AddDays(60)));

        var (_, output) = await _slices.PackageAsync(member, [order]);

        var draft = Assert.IsType<Hl7.Fhir.Model.Parameters>(output).Parameter
            .Select(p => p.Resource).OfType<Hl7.Fhir.Model.Bundle>().Single()
            .Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.QuestionnaireResponse>().Single();
        var age = Flatten(draft.Item).Single(i => i.LinkId == "member-age");
        Assert.Equal(25, Assert.IsType<Hl7.Fhir.Model.Integer>(Assert.Single(age.Answer).Value).Value);
    }

    /// <summary>
    /// The same member with an undated order (today): 24 on the date of service, so BVNA is not
    /// covered (P6, as CRD answers) and the package serves no form, saying why — as for BVNA for a
    /// MassHealth member (P10).
    /// </summary>
    [Fact]
    [Trait("Clause", "P6")]
    public async System.Threading.Tasks.Task Package_MemberTurns25AfterAnUndatedOrder_ServesNoFormSayingTheAge()
    {
        var member = new Member(Born(Today.AddDays(30).AddYears(-25)), Id: $"member-{Guid.NewGuid():N}"[..20]);

        var (status, output) = await _slices.PackageAsync(member, [Order.Of("bvna", "64628")]);

        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, status);
        var issue = Assert.Single(Assert.IsType<Hl7.Fhir.Model.OperationOutcome>(output).Issue, i => i.Diagnostics?.Contains("P6", StringComparison.Ordinal) == true);
        Assert.Contains("not covered", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Contains("the member is 24 on the date of service", issue.Diagnostics, StringComparison.Ordinal);
    }

    /// <summary>
    /// A member born after the date of service is an impossible record, not an unknown age: all four
    /// readings refuse it with a 422 naming the birth date (PatientFacts.CheckBornBy), where they once
    /// answered "auth-needed" (CRD) and pended (DTR, PAS). A partial birth date that may fall on or
    /// before the date of service is a possible one (the straddling tests above).
    /// </summary>
    [Fact]
    [Trait("Clause", "P6")]
    public async System.Threading.Tasks.Task Bvna_MemberBornAfterTheDateOfService_RefusedAlikeInCrdDtrAndPas()
    {
        var member = new Member("2999-01-01", Id: $"member-{Guid.NewGuid():N}"[..20]);
        var order = Order.On("bvna", "64628", DateOfService);
        var form = Form.ApprovableBvna(_slices.Policy, _slices.Catalog);

        var (crd, crdBody) = await _slices.OrderSignAsync(member, order);
        var (dtr, dtrBody) = await _slices.NextQuestionAsync(form.Build(member, [order], containPatient: true));
        var (package, packageBody) = await _slices.PackageAsync(member, [order]);
        var (pas, pasBody) = await _slices.SubmitAsync(PasBundle.For(member, [order], [form.Build(member, [order])]));

        Assert.Equal([HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity], [crd, dtr, package, pas]);
        Assert.Contains("after the date of service", crdBody.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.All([dtrBody, packageBody, pasBody], body =>
            Assert.Contains("after the date of service", Assert.IsType<Hl7.Fhir.Model.OperationOutcome>(body).Issue.Single().Diagnostics, StringComparison.Ordinal));
    }

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static IEnumerable<Hl7.Fhir.Model.QuestionnaireResponse.ItemComponent> Flatten(IEnumerable<Hl7.Fhir.Model.QuestionnaireResponse.ItemComponent> items) =>
        items.SelectMany(i => new[] { i }.Concat(Flatten(i.Item)));

    private static string Born(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async System.Threading.Tasks.Task<Outcome> DecideAsync(string birthDate)
    {
        var member = new Member(birthDate, Id: $"member-{Guid.NewGuid():N}"[..20]);
        var order = Order.On("bvna", "64628", DateOfService);
        var form = Form.ApprovableBvna(_slices.Policy, _slices.Catalog);

        var (_, crd) = await _slices.OrderSignAsync(member, order);
        var (_, dtr) = await _slices.NextQuestionAsync(form.Build(member, [order], containPatient: true));
        var (_, pas) = await _slices.SubmitAsync(PasBundle.For(member, [order], [form.Build(member, [order])]));
        return new Outcome(Answers.CardSummaries(crd), Answers.CoverageInformation(crd).Single(), Answers.CoverageInformation(dtr), Answers.Actions(pas));
    }

    private async System.Threading.Tasks.Task<Outcome> DecideEsiAsync(string birthDate)
    {
        var member = new Member(birthDate, Id: $"member-{Guid.NewGuid():N}"[..20]);
        var order = Order.On("esi", "64483", DateOfService);
        var form = Form.ApprovableEsi(_slices.Policy, _slices.Catalog);

        var (_, crd) = await _slices.OrderSignAsync(member, order);
        var (_, dtr) = await _slices.NextQuestionAsync(form.Build(member, [order], containPatient: true));
        var (_, pas) = await _slices.SubmitAsync(PasBundle.For(member, [order], [form.Build(member, [order])]));
        return new Outcome(Answers.CardSummaries(crd), Answers.CoverageInformation(crd).Single(), Answers.CoverageInformation(dtr), Answers.Actions(pas));
    }

    private sealed record Outcome(IReadOnlyList<string> CardSummaries, Dictionary<string, string> Crd, Dictionary<string, string> Dtr, IReadOnlyList<string> Pas);

    public sealed class Server : IDisposable
    {
        public ThreeSlices Slices { get; } = new();

        public void Dispose() => Slices.Dispose();
    }
}
