using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Tests.Support;

namespace SpinePolicy.PriorAuthorization.Tests;

[Collection(PasCollection.Name)]
public sealed class SubmitDecisionTests(PasHostFixture fixture)
{
    private readonly PasHost _host = fixture.Host;

    [Fact]
    [Trait("Clause", "P6")]
    public async Task Submit_BvnaMeetingEveryCriterion_CertifiesWithNumberIssueDateAndPeriod()
    {
        var request = new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna")));

        var answer = await _host.SubmitAsync(request.Build());

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("application/fhir+json", answer.ContentType);
        var response = answer.ClaimResponse;
        Assert.Equal("A1", answer.ActionOf(1));
        Assert.Equal(ClaimProcessingCodes.Complete, response.Outcome);
        Assert.StartsWith("SP097-", response.PreAuthRef, StringComparison.Ordinal);
        var item = response.Item.Single();
        var number = item.Adjudication[0].Extension[0].Extension.Single(e => e.Url == "number").Value!.ToString()!;
        Assert.StartsWith(response.PreAuthRef, number, StringComparison.Ordinal);
        Assert.NotNull(item.Extension.SingleOrDefault(e => e.Url == PasCodes.ItemPreAuthIssueDateUrl));
        var period = (Period)item.Extension.Single(e => e.Url == PasCodes.ItemPreAuthPeriodUrl).Value!;
        Assert.Equal("2026-03-02", period.Start);
        Assert.Equal("2026-05-31", period.End);
        Assert.Contains("P6", answer.NotesOf(1), StringComparison.Ordinal);
        Assert.Contains(response.Meta!.Tag, t => t.System == ClaimResponseBuilder.PolicyVersionSystem && t.Code == _host.Policy.VersionedUrl);
    }

    public static TheoryData<string, object, string, string> BvnaExclusions => new()
    {
        { "bvna-radicular-pain", true, "P7.1", "Radicular pain" },
        { "bvna-prior-lumbar-surgery", true, "P7.2", "Previous lumbar spine surgery" },
        { "bvna-spine-malignancy", true, "P7.7", "Malignancy of the spine" },
        { "bvna-bmi", 41.2m, "P7.11", "Body mass index" },
        { "bvna-treated-levels", new[] { "L2", "L3" }, "P7.15", "Vertebral levels to be treated" },
    };

    [Theory]
    [MemberData(nameof(BvnaExclusions))]
    [Trait("Clause", "P7")]
    public async Task Submit_BvnaWithAnExclusion_NotCertifiedNamingClauseAndExclusion(string criterion, object value, string clause, string words)
    {
        var answers = Answers.AllMet("bvna").Set(criterion, value);
        var request = new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(answers));

        var answer = await _host.SubmitAsync(request.Build());

        Assert.Equal("A3", answer.ActionOf(1));
        Assert.Contains("0T", answer.ReasonCodesOf(1));
        var notes = answer.NotesOf(1);
        Assert.Contains(clause, notes, StringComparison.Ordinal);
        Assert.Contains(words, notes, StringComparison.Ordinal);
        Assert.Contains("experimental and investigational", notes, StringComparison.Ordinal);
        Assert.Null(answer.ClaimResponse.PreAuthRef);
    }

    [Fact]
    [Trait("Clause", "P7.8")]
    public async Task Submit_BvnaWithSpondylolisthesisOver2mm_NotCertified()
    {
        var answers = Answers.AllMet("bvna").Set("bvna-spondylolisthesis", true).Set("bvna-spondylolisthesis-mm", 3.5m);
        var answer = await _host.SubmitAsync(new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(answers)).Build());

        Assert.Equal("A3", answer.ActionOf(1));
        Assert.Contains("P7.8", answer.NotesOf(1), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P8")]
    public async Task Submit_BvnaWithAnEpiduralInTheSameClaim_BvnaNotCertifiedAsConcurrent()
    {
        var request = new PasRequestBuilder()
            .Line("64628")
            .Line("62323")
            .WithAnswers(_host.Fill(Answers.AllMet("bvna")))
            .WithAnswers(_host.Fill(Answers.AllMet("esi")));

        var answer = await _host.SubmitAsync(request.Build());

        Assert.Equal("A3", answer.ActionOf(1));
        Assert.Contains("P8", answer.NotesOf(1), StringComparison.Ordinal);
        Assert.Contains("62323", answer.NotesOf(1), StringComparison.Ordinal);
        Assert.Equal("A1", answer.ActionOf(2));
    }

    [Fact]
    [Trait("Clause", "P6")]
    public async Task Submit_BvnaForMemberUnder25_NotCertifiedForAge()
    {
        var request = new PasRequestBuilder { BirthDate = "2003-01-10" }.Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna")));

        var answer = await _host.SubmitAsync(request.Build());

        Assert.Equal("A3", answer.ActionOf(1));
        Assert.Contains("0Y", answer.ReasonCodesOf(1));
        Assert.Contains("under 25", answer.NotesOf(1), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P5")]
    public async Task Submit_RepeatFacetInjectionWithUnder50PercentRelief_NotCertifiedAsNotMedicallyNecessary()
    {
        var answers = Answers.AllMet("facet")
            .Set("facet-prior-injection-same-level", true)
            .Set("facet-prior-relief-percent", 40)
            .Set("facet-days-since-last-injection", 30);
        var answer = await _host.SubmitAsync(new PasRequestBuilder().Line("64493").WithAnswers(_host.Fill(answers)).Build());

        Assert.Equal("A3", answer.ActionOf(1));
        Assert.Contains("0F", answer.ReasonCodesOf(1));
        Assert.Contains("P5", answer.NotesOf(1), StringComparison.Ordinal);
        Assert.Contains("at least 50", answer.NotesOf(1), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P5")]
    public async Task Submit_RepeatFacetInjectionWith50PercentReliefAfterTwoWeeks_Certified()
    {
        var answers = Answers.AllMet("facet")
            .Set("facet-prior-injection-same-level", true)
            .Set("facet-prior-relief-percent", 50)
            .Set("facet-days-since-last-injection", 14);
        var answer = await _host.SubmitAsync(new PasRequestBuilder().Line("64493").WithAnswers(_host.Fill(answers)).Build());

        Assert.Equal("A1", answer.ActionOf(1));
    }

    [Fact]
    [Trait("Clause", "P2")]
    public async Task Submit_AddOnCodeWithoutItsPrimary_NotCertifiedAsCodingError()
    {
        var answer = await _host.SubmitAsync(new PasRequestBuilder().Line("64494").WithAnswers(_host.Fill(Answers.AllMet("facet"))).Build());

        Assert.Equal("A3", answer.ActionOf(1));
        Assert.Contains("P2", answer.NotesOf(1), StringComparison.Ordinal);
        Assert.Contains("64493", answer.NotesOf(1), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P7.15")]
    public async Task Submit_64629UnitsBeyondTheL3ToS1Range_AddOnNotCertifiedPrimaryCertified()
    {
        var answers = Answers.AllMet("bvna").Set("bvna-treated-levels", new[] { "L3", "L4", "L5", "S1" });
        var request = new PasRequestBuilder().Line("64628").Line("64629", units: 3).WithAnswers(_host.Fill(answers));

        var answer = await _host.SubmitAsync(request.Build());

        Assert.Equal("A1", answer.ActionOf(1));
        Assert.Equal("A3", answer.ActionOf(2));
        Assert.Contains("P7.15", answer.NotesOf(2), StringComparison.Ordinal);
        Assert.Contains("3 units", answer.NotesOf(2), StringComparison.Ordinal);
        Assert.Equal(ClaimProcessingCodes.Complete, answer.ClaimResponse.Outcome);
    }

    [Fact]
    [Trait("Clause", "P2")]
    public async Task Submit_64628And64629WithTwoLevelsNamed_PendedNotCertified()
    {
        // Three vertebral bodies coded (64628 the first two, 64629 one more), two levels named: the
        // third's level is unknown, so it cannot be held against L3-S1 (P7.15) or earlier BVNA (P7.16).
        var answers = Answers.AllMet("bvna").Set("bvna-treated-levels", new[] { "L4", "L5" });
        var request = new PasRequestBuilder().Line("64628").Line("64629").WithAnswers(_host.Fill(answers));

        var answer = await _host.SubmitAsync(request.Build());

        Assert.Equal("A4", answer.ActionOf(1));
        Assert.Equal("A4", answer.ActionOf(2));
        Assert.Contains("P2", answer.NotesOf(2), StringComparison.Ordinal);
        Assert.Contains("treat 3 levels", answer.NotesOf(2), StringComparison.Ordinal);
        Assert.Contains("names 2 (L4, L5)", answer.NotesOf(2), StringComparison.Ordinal);
        Assert.Equal(ClaimProcessingCodes.Partial, answer.ClaimResponse.Outcome);
    }

    [Fact]
    [Trait("Clause", "P6")]
    public async Task Submit_BvnaWithMissingAnswers_PendedNamingWhatIsMissing()
    {
        var answers = Answers.AllMet("bvna").Remove("bvna-bmi").Remove("bvna-modic-changes-l3-s1");
        var answer = await _host.SubmitAsync(new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(answers)).Build());

        Assert.Equal("A4", answer.ActionOf(1));
        Assert.Equal(ClaimProcessingCodes.Partial, answer.ClaimResponse.Outcome);
        Assert.Contains("0U", answer.ReasonCodesOf(1));
        var notes = answer.NotesOf(1);
        Assert.Contains("Body mass index", notes, StringComparison.Ordinal);
        Assert.Contains("Modic", notes, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P6")]
    public async Task Submit_BvnaWithoutAnyQuestionnaireResponse_PendedNotDenied()
    {
        var answer = await _host.SubmitAsync(new PasRequestBuilder().Line("64628").Build());

        Assert.Equal("A4", answer.ActionOf(1));
        Assert.Contains("information missing", answer.NotesOf(1), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P6")]
    public async Task Submit_BvnaIndicationNotMet_PendedForClinicalReview()
    {
        var answers = Answers.AllMet("bvna").Set("bvna-failed-conservative-care-6-months", false);
        var answer = await _host.SubmitAsync(new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(answers)).Build());

        Assert.Equal("A4", answer.ActionOf(1));
        Assert.Contains("0V", answer.ReasonCodesOf(1));
        Assert.Contains("clinical review", answer.NotesOf(1), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P10")]
    public async Task Submit_BvnaForMassHealthMember_NotCertifiedAsNotPayable()
    {
        var request = new PasRequestBuilder { Plan = "MGB-MASSHEALTH-ACO" }.Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna")));

        var answer = await _host.SubmitAsync(request.Build());

        Assert.Equal("A3", answer.ActionOf(1));
        Assert.Contains("0M", answer.ReasonCodesOf(1));
        Assert.Contains("not payable", answer.NotesOf(1), StringComparison.Ordinal);
        Assert.Contains("P10", answer.NotesOf(1), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P3")]
    public async Task Submit_CatheterEpiduralForCommercialMember_SaysNoAuthorizationIsRequiredWithoutANumber()
    {
        var answer = await _host.SubmitAsync(new PasRequestBuilder().Line("62326").Build());

        Assert.Equal("NA", answer.ActionOf(1));
        Assert.Contains("0H", answer.ReasonCodesOf(1));
        Assert.Contains("no prior authorization is required", answer.NotesOf(1), StringComparison.Ordinal);
        Assert.Null(answer.ClaimResponse.PreAuthRef);
        Assert.DoesNotContain(answer.ClaimResponse.Item[0].Adjudication[0].Extension[0].Extension, e => e.Url == "number");
        Assert.Equal(ClaimProcessingCodes.Complete, answer.ClaimResponse.Outcome);
    }

    public static TheoryData<string, string, string> ProductLines => new()
    {
        // plan, facet joint injection (64490), BVNA (64628): P3's table.
        { "MGB-COMMERCIAL", "A1", "A1" },
        { "MGB-QHP", "A1", "A1" },
        { "MGB-MASSHEALTH-ACO", "A1", "A3" },
        { "MGB-MEDICARE-ADVANTAGE", "NA", "A1" },
        { "MGB-ONECARE", "NA", "A1" },
        { "MGB-SCO", "NA", "A1" },
    };

    [Theory]
    [MemberData(nameof(ProductLines))]
    [Trait("Clause", "P3")]
    public async Task Submit_FacetAndBvnaMeetingCriteriaOnEachProductLine_FollowsThePriorAuthorizationTable(string plan, string facet, string bvna)
    {
        // Separate claims: together the BVNA would be concurrent with the facet injection (P8).
        var facetAnswer = await _host.SubmitAsync(new PasRequestBuilder { Plan = plan }.Line("64490").WithAnswers(_host.Fill(Answers.AllMet("facet"))).Build());
        var bvnaAnswer = await _host.SubmitAsync(new PasRequestBuilder { Plan = plan }.Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna"))).Build());

        Assert.Equal(facet, facetAnswer.ActionOf(1));
        Assert.Equal(bvna, bvnaAnswer.ActionOf(1));
    }

    [Fact]
    [Trait("Clause", "P8")]
    public async Task Submit_EpiduralOnTheDayOfTheMembersCertifiedBvna_PendedNotCertifiedBesideIt()
    {
        var bvna = new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna")));
        Assert.Equal("A1", (await _host.SubmitAsync(bvna.Build())).ActionOf(1));

        var sameDay = await _host.SubmitAsync(new PasRequestBuilder { PatientId = bvna.PatientId }.Line("64483").WithAnswers(_host.Fill(Answers.AllMet("esi"))).Build());
        var nextWeek = await _host.SubmitAsync(new PasRequestBuilder { PatientId = bvna.PatientId, ServiceDate = "2026-03-09" }.Line("64483").WithAnswers(_host.Fill(Answers.AllMet("esi"))).Build());

        Assert.Equal("A4", sameDay.ActionOf(1));
        Assert.Contains("P8", sameDay.NotesOf(1), StringComparison.Ordinal);
        Assert.Equal("A1", nextWeek.ActionOf(1));
    }

    [Fact]
    [Trait("Clause", "P5")]
    public async Task Submit_FacetInjectionDaysAfterOneTheMemberHolds_PendedWhateverTheFormSays()
    {
        var first = new PasRequestBuilder { ServiceDate = "2026-03-02" }.Line("64493").WithAnswers(_host.Fill(Answers.AllMet("facet")));
        Assert.Equal("A1", (await _host.SubmitAsync(first.Build())).ActionOf(1));

        var threeDaysLater = await _host.SubmitAsync(new PasRequestBuilder { PatientId = first.PatientId, ServiceDate = "2026-03-05" }.Line("64493").WithAnswers(_host.Fill(Answers.AllMet("facet"))).Build());
        // Two weeks after the later of the two the member holds (the pended one counts too).
        var twoWeeksLater = await _host.SubmitAsync(new PasRequestBuilder { PatientId = first.PatientId, ServiceDate = "2026-03-19" }.Line("64493").WithAnswers(_host.Fill(Answers.AllMet("facet"))).Build());

        Assert.Equal("A4", threeDaysLater.ActionOf(1));
        Assert.Contains("3 days from this", threeDaysLater.NotesOf(1), StringComparison.Ordinal);
        Assert.Equal("A1", twoWeeksLater.ActionOf(1));
    }

    [Fact]
    [Trait("Clause", "P7.15")]
    public async Task Submit_BvnaAddOnUnitsSplitOverTwoLines_AddUpBeyondL3ToS1()
    {
        var answers = Answers.AllMet("bvna").Set("bvna-treated-levels", new[] { "L3", "L4", "L5", "S1" });
        var request = new PasRequestBuilder().Line("64628").Line("64629").Line("64629", units: 2).WithAnswers(_host.Fill(answers));

        var answer = await _host.SubmitAsync(request.Build());

        Assert.Equal("A3", answer.ActionOf(2));
        Assert.Equal("A3", answer.ActionOf(3));
        Assert.Contains("3 units of 64629 on one day", answer.NotesOf(3), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P2")]
    public async Task Submit_ServiceOutsideThePolicy_NeedsNoAuthorizationAsThePayerDefaultSays()
    {
        var answer = await _host.SubmitAsync(new PasRequestBuilder().Line("99213").Build());

        Assert.Equal("NA", answer.ActionOf(1));
        Assert.Contains("not governed", answer.NotesOf(1), StringComparison.Ordinal);
        Assert.Contains("not on this payer's prior-authorization list", answer.NotesOf(1), StringComparison.Ordinal);
    }

    [Theory]
    [Trait("Clause", "P2")]
    [InlineData("Required")]
    [InlineData("Review")]
    public async Task Submit_ServiceOutsideThePolicyWhenThePayerReviewsThem_PendedForIndividualReview(string setting)
    {
        using var host = new PasHost(new Dictionary<string, string?> { ["UngovernedServices:PriorAuthorization"] = setting });

        var answer = await host.SubmitAsync(new PasRequestBuilder().Line("99213").Build());

        Assert.Equal("A4", answer.ActionOf(1));
        Assert.Contains("individual review", answer.NotesOf(1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_QuestionnaireResponseContainedInTheClaim_IsReadLikeAnEntry()
    {
        var answers = Answers.AllMet("bvna").Set("bvna-radicular-pain", true);
        var request = new PasRequestBuilder { ContainQuestionnaireResponses = true }.Line("64628").WithAnswers(_host.Fill(answers));

        var answer = await _host.SubmitAsync(request.Build());

        Assert.Equal("A3", answer.ActionOf(1));
        Assert.Contains("P7.1", answer.NotesOf(1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_CancelledItemBesideADecidedOne_EchoesBothAndReviewsOnlyTheActiveOne()
    {
        var request = new PasRequestBuilder().Line("64490").Line("64628", cancelled: true).WithAnswers(_host.Fill(Answers.AllMet("facet")));

        var answer = await _host.SubmitAsync(request.Build());

        Assert.Equal([1, 2], answer.ClaimResponse.Item.Select(i => i.ItemSequence ?? 0));
        Assert.Equal("A1", answer.ActionOf(1));
        Assert.Equal("C", answer.ActionOf(2));
    }
}
