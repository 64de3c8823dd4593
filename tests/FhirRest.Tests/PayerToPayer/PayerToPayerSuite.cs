using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.FhirRest.PayerToPayer;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using SpinePolicy.TestKit.Validation;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.PayerToPayer;

/// <summary>
/// HRex $member-match and the PDex prior-authorization EOBs behind it, run once per storage
/// provider. Each test uses its own member ids and client id (grants and lockouts are per client).
/// </summary>
public abstract class PayerToPayerSuite(FhirApiFixture api)
{
    private static readonly Uri MemberMatchUri = FhirHttp.Fhir("Patient/$member-match");

    protected FhirRestApp App => api.App;

    private sealed record Member(string PatientId, string MemberId, Patient Demographics);

    private async Task<Member> ArrangeMemberAsync(string family = "Nguyen", string given = "Lan", string birthDate = "1958-07-14")
    {
        using var admin = FhirHttp.Admin(App);
        var memberId = FhirData.Unique("M");
        var patient = await FhirHttp.CreateAsync(admin, FhirData.Patient(family, given, birthDate, memberId: memberId));
        await FhirHttp.CreateAsync(admin, FhirData.Coverage(patient.Id!, memberId));
        return new Member(patient.Id!, memberId, FhirData.Patient(family, given, birthDate));
    }

    private static async Task<HttpResponseMessage> MatchAsync(HttpClient client, Parameters parameters) =>
        await client.PostAsync(MemberMatchUri, FhirHttp.Json(parameters));

    private HttpClient NewPayer(string clientId) => FhirHttp.Partner(App, clientId, "system/Patient.read", "system/ExplanationOfBenefit.read");

    [Fact]
    public async Task MemberMatch_UniqueMember_ReturnsMemberIdentifierConformingToHrex()
    {
        var member = await ArrangeMemberAsync();
        using var client = NewPayer(FhirData.Unique("payer"));

        using var response = await MatchAsync(client, FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(member.MemberId), FhirData.CurrentConsent()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var output = await FhirHttp.ReadAsync<Parameters>(response);
        var identifier = Assert.IsType<Identifier>(output.Parameter.Single(p => p.Name == "MemberIdentifier").Value);
        Assert.Equal(member.MemberId, identifier.Value);
        Assert.Contains(identifier.Type!.Coding, c => c.System == "http://terminology.hl7.org/CodeSystem/v2-0203" && c.Code == "MB");
        FhirProfileValidation.Shared.AssertConforms(output, PayerToPayerEndpoints.MemberMatchOutProfile);
    }

    [Fact]
    public async Task MemberMatch_ConsentUntilTheCalendarsLastDay_Matches()
    {
        var member = await ArrangeMemberAsync();
        using var client = NewPayer(FhirData.Unique("payer"));
        var consent = FhirData.Consent(DateTimeOffset.UtcNow.AddDays(-1), new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero));

        using var response = await MatchAsync(client, FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(member.MemberId), consent));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task MemberMatch_SubscriberIdOnlyAndCaseDifferences_Matches()
    {
        var member = await ArrangeMemberAsync("O'Brien", "Siobhan", "1972-12-01");
        using var client = NewPayer(FhirData.Unique("payer"));

        using var response = await MatchAsync(client, FhirData.MemberMatch(
            FhirData.Patient(" o'brien ", "SIOBHAN", "1972-12-01"), FhirData.CardCoverage(member.MemberId, asSubscriberIdOnly: true), FhirData.CurrentConsent()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string, string, string, AdministrativeGender> NonMatchingDemographics => new()
    {
        { "wrong birth date", "Nguyen", "1958-07-15", AdministrativeGender.Female },
        { "wrong family name", "Tran", "1958-07-14", AdministrativeGender.Female },
        { "wrong gender", "Nguyen", "1958-07-14", AdministrativeGender.Male },
    };

    [Theory]
    [MemberData(nameof(NonMatchingDemographics))]
    public async Task MemberMatch_DemographicsDisagree_Returns422(string why, string family, string birthDate, AdministrativeGender gender)
    {
        var member = await ArrangeMemberAsync();
        using var client = NewPayer(FhirData.Unique("payer"));

        using var response = await MatchAsync(client, FhirData.MemberMatch(FhirData.Patient(family, "Lan", birthDate, gender), FhirData.CardCoverage(member.MemberId), FhirData.CurrentConsent()));

        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, why);
        Assert.Contains("No unique member", (await FhirHttp.OutcomeAsync(response)).Issue.Single().Diagnostics);
    }

    [Fact]
    public async Task MemberMatch_UnknownMemberId_Returns422()
    {
        await ArrangeMemberAsync();
        using var client = NewPayer(FhirData.Unique("payer"));

        using var response = await MatchAsync(client, FhirData.MemberMatch(FhirData.Patient("Nguyen", "Lan", "1958-07-14"), FhirData.CardCoverage(FhirData.Unique("M")), FhirData.CurrentConsent()));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    /// <summary>
    /// "Several members matched" and "no member matched" are one answer, byte for byte: a
    /// different word for the first would tell a prober that the payer holds two members with
    /// those details, i.e. that the guessed person is a member (until 2026-12 it said "More than
    /// one member matched"). Both still count towards the lockout.
    /// </summary>
    [Fact]
    public async Task MemberMatch_SeveralMembersOrNoneMatched_OneIdenticalAnswerAndBothCountTowardsTheLockout()
    {
        using var admin = FhirHttp.Admin(App);
        var memberId = FhirData.Unique("M");
        foreach (var _ in new[] { 1, 2 })
        {
            var twin = await FhirHttp.CreateAsync(admin, FhirData.Patient("Twin", "Alex", "2001-01-01"));
            await FhirHttp.CreateAsync(admin, FhirData.Coverage(twin.Id!, memberId));
        }

        using var client = NewPayer(FhirData.Unique("payer"));
        using var several = await MatchAsync(client, FhirData.MemberMatch(FhirData.Patient("Twin", "Alex", "2001-01-01"), FhirData.CardCoverage(memberId), FhirData.CurrentConsent()));
        using var none = await MatchAsync(client, FhirData.MemberMatch(FhirData.Patient("Twin", "Alex", "2001-01-01"), FhirData.CardCoverage(FhirData.Unique("M")), FhirData.CurrentConsent()));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, several.StatusCode);
        Assert.Equal(none.StatusCode, several.StatusCode);
        Assert.Equal(none.Content.Headers.ContentType, several.Content.Headers.ContentType);
        var severalBody = await several.Content.ReadAsStringAsync();
        Assert.Equal(await none.Content.ReadAsStringAsync(), severalBody);
        var issue = Assert.Single(FhirJson.Parse<OperationOutcome>(severalBody).Issue);
        Assert.Equal(OperationOutcome.IssueType.Processing, issue.Code);
        Assert.Contains("No unique member", issue.Diagnostics, StringComparison.Ordinal);

        // Three more misses make five: the two above counted, so the next attempt is locked out.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var miss = await MatchAsync(client, FhirData.MemberMatch(FhirData.Patient("Twin", "Alex", "2001-01-01"), FhirData.CardCoverage(FhirData.Unique("M")), FhirData.CurrentConsent()));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, miss.StatusCode);
        }

        using var locked = await MatchAsync(client, FhirData.MemberMatch(FhirData.Patient("Twin", "Alex", "2001-01-01"), FhirData.CardCoverage(memberId), FhirData.CurrentConsent()));
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
    }

    public static TheoryData<string, Func<Consent>> UnacceptableConsents => new()
    {
        { "expired", () => FhirData.Consent(DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddDays(-2)) },
        { "not yet valid", () => FhirData.Consent(DateTimeOffset.UtcNow.AddDays(10), DateTimeOffset.UtcNow.AddYears(1)) },
        { "unknown policy", () => FhirData.Consent(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), policy: "http://example.org/consent#all") },
        { "source is not us", () => FhirData.Consent(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), sourcePayer: "SOMEONE-ELSE") },
        { "recipient is us", () => FhirData.Consent(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), recipientPayer: FhirData.OurPayerId) },
        { "inactive", () => WithStatus(Consent.ConsentState.Inactive) },
        { "deny", () => WithProvisionType(Consent.ConsentProvisionType.Deny) },
        { "other patient", () => OtherPatient() },
    };

    [Theory]
    [MemberData(nameof(UnacceptableConsents))]
    public async Task MemberMatch_ConsentWeCannotHonour_Returns422BeforeMatching(string why, Func<Consent> consent)
    {
        var member = await ArrangeMemberAsync();
        using var client = NewPayer(FhirData.Unique("payer"));

        using var response = await MatchAsync(client, FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(member.MemberId), consent()));

        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, why);
        Assert.StartsWith("Consent cannot be honoured", (await FhirHttp.OutcomeAsync(response)).Issue.Single().Diagnostics);
    }

    [Fact]
    public async Task MemberMatch_SensitivePolicy_IsHonoured()
    {
        var member = await ArrangeMemberAsync();
        using var client = NewPayer(FhirData.Unique("payer"));
        var consent = FhirData.Consent(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), policy: ConsentEvaluator.SensitivePolicy);

        using var response = await MatchAsync(client, FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(member.MemberId), consent));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task MemberMatch_SuccessBetweenGuesses_DoesNotResetTheFailureCount()
    {
        var member = await ArrangeMemberAsync();
        using var prober = NewPayer(FhirData.Unique("prober"));
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (attempt == 3)
            {
                // A member the prober knows, matched between guesses to wipe its record.
                using var known = await MatchAsync(prober, FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(member.MemberId), FhirData.CurrentConsent()));
                Assert.Equal(HttpStatusCode.OK, known.StatusCode);
            }

            using var miss = await MatchAsync(prober, FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(FhirData.Unique("M")), FhirData.CurrentConsent()));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, miss.StatusCode);
        }

        using var locked = await MatchAsync(prober, FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(FhirData.Unique("M")), FhirData.CurrentConsent()));
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
    }

    [Fact]
    public async Task PartnerPatientSearch_OverEveryMember_403()
    {
        await ArrangeMemberAsync();
        using var payer = NewPayer(FhirData.Unique("payer"));

        using var everyone = await payer.GetAsync(FhirHttp.Fhir("Patient?_count=1000"));

        Assert.Equal(HttpStatusCode.Forbidden, everyone.StatusCode);
        Assert.DoesNotContain("Nguyen", await everyone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartnerPatientRead_OnlyMembersItMatchedWithConsent()
    {
        var matched = await ArrangeMemberAsync();
        var other = await ArrangeMemberAsync("Unmatched", "Una", "1966-06-06");
        using var payer = NewPayer(FhirData.Unique("payer"));
        using var match = await MatchAsync(payer, FhirData.MemberMatch(matched.Demographics, FhirData.CardCoverage(matched.MemberId), FhirData.CurrentConsent()));
        Assert.Equal(HttpStatusCode.OK, match.StatusCode);

        using var own = await payer.GetAsync(FhirHttp.Fhir($"Patient/{matched.PatientId}"));
        using var notMatched = await payer.GetAsync(FhirHttp.Fhir($"Patient/{other.PatientId}"));
        using var notMatchedEob = await payer.GetAsync(FhirHttp.Fhir($"ExplanationOfBenefit?patient={other.PatientId}&use=preauthorization"));

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notMatched.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notMatchedEob.StatusCode);
    }

    [Theory]
    [InlineData(SpinePolicy.TestKit.Security.TestTokens.DefaultFhirClientId)]
    [InlineData(SpinePolicy.TestKit.Security.TestClients.AdministrationClientId)]
    public async Task MemberMatch_ByAClientThatIsNotAnotherPayer_403(string clientId)
    {
        var member = await ArrangeMemberAsync();
        using var client = FhirHttp.Client(App, clientId);

        using var response = await MatchAsync(client, FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(member.MemberId), FhirData.CurrentConsent()));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task MemberMatch_RepeatedFailures_LocksOutThatClientOnly()
    {
        var member = await ArrangeMemberAsync();
        using var prober = NewPayer(FhirData.Unique("prober"));
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var miss = await MatchAsync(prober, FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(FhirData.Unique("M")), FhirData.CurrentConsent()));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, miss.StatusCode);
        }

        // Even a correct match is refused while locked out: the lockout must not be an oracle.
        using var locked = await MatchAsync(prober, FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(member.MemberId), FhirData.CurrentConsent()));
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(OperationOutcome.IssueType.Throttled, (await FhirHttp.OutcomeAsync(locked)).Issue.Single().Code);

        using var honest = NewPayer(FhirData.Unique("honest"));
        using var fine = await MatchAsync(honest, FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(member.MemberId), FhirData.CurrentConsent()));
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task MemberMatch_ConcurrentBurstOfGuesses_GetsNoMoreTriesThanTheLimit()
    {
        var member = await ArrangeMemberAsync();
        using var prober = NewPayer(FhirData.Unique("burst"));

        // Twenty guesses at once: each counts from the moment it starts, so no more than the limit
        // (5) are tried however the requests interleave; the others are told to retry.
        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var guess = await MatchAsync(prober, FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(FhirData.Unique("M")), FhirData.CurrentConsent()));
            return guess.StatusCode;
        }));
        var tried = statuses.Count(s => s == HttpStatusCode.UnprocessableEntity);
        Assert.InRange(tried, 1, 5);
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.UnprocessableEntity, HttpStatusCode.TooManyRequests }));

        // One guess after another, the rest of the allowance and not one more.
        for (var left = 5 - tried; left > 0; left--)
        {
            using var miss = await MatchAsync(prober, FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(FhirData.Unique("M")), FhirData.CurrentConsent()));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, miss.StatusCode);
        }

        using var afterwards = await MatchAsync(prober, FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(member.MemberId), FhirData.CurrentConsent()));
        Assert.Equal(HttpStatusCode.TooManyRequests, afterwards.StatusCode);
    }

    /// <summary>
    /// The lockout counts match attempts, so one attempt may not carry a list of guesses: a
    /// CoverageToMatch with hundreds of member ids (or a MemberPatient with hundreds of names) would
    /// try them all for the price of one failure. Such a request is refused before anything is
    /// looked up, and the member hidden among the guesses is never matched.
    /// </summary>
    [Theory]
    [InlineData("member ids")]
    [InlineData("subscriber id beside member ids")]
    [InlineData("names")]
    public async Task MemberMatch_OneAttemptCarryingManyGuesses_RefusedAndMatchesNobody(string guessed)
    {
        var member = await ArrangeMemberAsync();
        using var prober = NewPayer(FhirData.Unique("lister"));
        var coverage = FhirData.CardCoverage(member.MemberId);
        var demographics = (Patient)member.Demographics.DeepCopy();
        switch (guessed)
        {
            case "member ids":
                coverage.Identifier = [.. Enumerable.Range(0, 300).Select(_ => new Identifier(FhirData.MemberIdSystem, FhirData.Unique("M"))), new Identifier(FhirData.MemberIdSystem, member.MemberId)];
                break;
            case "subscriber id beside member ids":
                coverage.Identifier = [.. Enumerable.Range(0, 2).Select(_ => new Identifier(FhirData.MemberIdSystem, FhirData.Unique("M")))];
                coverage.SubscriberId = member.MemberId;
                break;
            default:
                demographics.Name = [.. Enumerable.Range(0, 300).Select(i => new HumanName { Family = $"Guess{i}", Given = ["Lan"] }), .. demographics.Name];
                break;
        }

        using var response = await MatchAsync(prober, FhirData.MemberMatch(demographics, coverage, FhirData.CurrentConsent()));

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, $"{guessed}: {response.StatusCode}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(member.MemberId, body, StringComparison.Ordinal);
        Assert.Contains("OperationOutcome", body, StringComparison.Ordinal);
        Assert.Contains("at most", body, StringComparison.Ordinal);

        // Nothing was granted: the member's prior authorizations stay closed to the prober.
        using var eobs = await prober.GetAsync(FhirHttp.Fhir($"ExplanationOfBenefit?patient={member.PatientId}&use=preauthorization"));
        Assert.Equal(HttpStatusCode.Forbidden, eobs.StatusCode);
    }

    /// <summary>A card with the member id both as an identifier and as the subscriber id (the usual HRex shape) still matches.</summary>
    [Fact]
    public async Task MemberMatch_MemberIdAsIdentifierAndSubscriberId_Matches()
    {
        var member = await ArrangeMemberAsync();
        using var client = NewPayer(FhirData.Unique("payer"));
        var coverage = FhirData.CardCoverage(member.MemberId);
        coverage.SubscriberId = member.MemberId;

        using var response = await MatchAsync(client, FhirData.MemberMatch(member.Demographics, coverage, FhirData.CurrentConsent()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task MemberMatch_MalformedInput_Returns400Outcome()
    {
        var member = await ArrangeMemberAsync();
        using var client = NewPayer(FhirData.Unique("payer"));
        var noConsent = FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(member.MemberId), FhirData.CurrentConsent());
        noConsent.Parameter.RemoveAll(p => p.Name == "Consent");
        var wrongType = FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(member.MemberId), FhirData.CurrentConsent());
        wrongType.Parameter.Single(p => p.Name == "CoverageToMatch").Resource = new Patient();

        using var missing = await MatchAsync(client, noConsent);
        using var mistyped = await MatchAsync(client, wrongType);
        using var notParameters = await client.PostAsync(MemberMatchUri, FhirHttp.Json(new Patient()));
        using var garbage = await client.PostAsync(MemberMatchUri, new StringContent("{]", Encoding.UTF8, "application/fhir+json"));

        foreach (var response in new[] { missing, mistyped, notParameters, garbage })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            await FhirHttp.OutcomeAsync(response);
        }
    }

    [Fact]
    public async Task MemberMatch_WithoutPatientScope_Returns403()
    {
        var member = await ArrangeMemberAsync();
        using var client = FhirHttp.Partner(App, FhirData.Unique("payer"), "system/ExplanationOfBenefit.read");

        using var response = await MatchAsync(client, FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(member.MemberId), FhirData.CurrentConsent()));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task PriorAuthorizations_MatchedClient_GetsActiveAndRecentNotDeniedOrStale()
    {
        var member = await ArrangeMemberAsync();
        var claim = await App.StoreAsync(FhirData.Claim(member.PatientId));
        var now = DateTimeOffset.UtcNow;
        var ids = new Dictionary<string, string>
        {
            ["approved"] = await DecisionAsync(member, claim, "A1", now.AddMonths(6)),
            ["pended"] = await DecisionAsync(member, claim, "A4", null),
            ["denied"] = await DecisionAsync(member, claim, "A3", null),
            ["expired-recently"] = await DecisionAsync(member, claim, "A1", now.AddDays(-30)),
            ["claim-not-preauth"] = await DecisionAsync(member, claim, "A1", now.AddMonths(6), ClaimUseCode.Claim),
        };
        App.Clock.Offset = TimeSpan.FromDays(-500);
        try
        {
            ids["expired-long-ago"] = await DecisionAsync(member, claim, "A1", now.AddDays(-450));
            ids["still-active-old"] = await DecisionAsync(member, claim, "A1", now.AddYears(1));
        }
        finally
        {
            App.Clock.Offset = TimeSpan.Zero;
        }

        var otherMember = await ArrangeMemberAsync("Other", "Person", "1949-02-02");
        await DecisionAsync(otherMember, claim, "A1", now.AddMonths(6));

        using var payer = NewPayer(FhirData.Unique("payer"));
        using var match = await MatchAsync(payer, FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(member.MemberId), FhirData.CurrentConsent()));
        Assert.Equal(HttpStatusCode.OK, match.StatusCode);

        using var response = await payer.GetAsync(FhirHttp.Fhir($"ExplanationOfBenefit?patient=Patient/{member.PatientId}&use=preauthorization"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bundle = await FhirHttp.ReadAsync<Bundle>(response);
        var found = ids.Where(kv => bundle.Entry.Any(e => e.Resource!.Id == kv.Value)).Select(kv => kv.Key).Order();
        Assert.Equal(["approved", "expired-recently", "pended", "still-active-old"], found);
        Assert.Equal(4, bundle.Entry.Count);

        var approved = bundle.Entry.Select(e => (ExplanationOfBenefit)e.Resource!).Single(e => e.Id == ids["approved"]);
        Assert.Equal(ExplanationOfBenefit.ExplanationOfBenefitStatus.Active, approved.Status);
        Assert.Equal(ClaimUseCode.Preauthorization, approved.Use);
        Assert.Contains("http://hl7.org/fhir/us/davinci-pdex/StructureDefinition/pdex-priorauthorization", approved.Meta!.Profile);
        Assert.Equal("64483", approved.Item.Single().ProductOrService.Coding.Single().Code);
        Assert.Equal($"Patient/{member.PatientId}", approved.Patient.Reference);
        Assert.Equal("A1", approved.Item.Single().Adjudication.Single().Reason?.Coding.Single().Code);

        // The PDex package is not available here: validate against base R4 (the profile is not loaded).
        var result = FhirProfileValidation.Shared.Validate(WithoutMetaProfile(approved), "http://hl7.org/fhir/StructureDefinition/ExplanationOfBenefit");
        Assert.True(result.Conforms, result.DescribeErrors());
    }

    [Fact]
    public async Task PriorAuthorizations_ClientWithoutMatch_Returns403()
    {
        var member = await ArrangeMemberAsync();
        using var payer = NewPayer(FhirData.Unique("payer"));

        using var response = await payer.GetAsync(FhirHttp.Fhir($"ExplanationOfBenefit?patient={member.PatientId}&use=preauthorization"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(OperationOutcome.IssueType.Forbidden, (await FhirHttp.OutcomeAsync(response)).Issue.Single().Code);
    }

    [Fact]
    public async Task PriorAuthorizations_MatchedForOneMember_CannotReadAnother()
    {
        var member = await ArrangeMemberAsync();
        var other = await ArrangeMemberAsync("Second", "Member", "1980-08-08");
        using var payer = NewPayer(FhirData.Unique("payer"));
        using var match = await MatchAsync(payer, FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(member.MemberId), FhirData.CurrentConsent()));
        Assert.Equal(HttpStatusCode.OK, match.StatusCode);

        using var own = await payer.GetAsync(FhirHttp.Fhir($"ExplanationOfBenefit?patient={member.PatientId}&use=preauthorization"));
        using var foreign = await payer.GetAsync(FhirHttp.Fhir($"ExplanationOfBenefit?patient={other.PatientId}&use=preauthorization"));
        using var otherClient = NewPayer(FhirData.Unique("payer"));
        using var sameMemberOtherClient = await otherClient.GetAsync(FhirHttp.Fhir($"ExplanationOfBenefit?patient={member.PatientId}&use=preauthorization"));

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, sameMemberOtherClient.StatusCode);
    }

    [Fact]
    public async Task PriorAuthorizations_AfterConsentPeriodEnds_Returns403()
    {
        var member = await ArrangeMemberAsync();
        using var payer = NewPayer(FhirData.Unique("payer"));
        var consent = FhirData.Consent(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10));
        using var match = await MatchAsync(payer, FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(member.MemberId), consent));
        Assert.Equal(HttpStatusCode.OK, match.StatusCode);

        App.Clock.Offset = TimeSpan.FromDays(12);
        try
        {
            using var response = await payer.GetAsync(FhirHttp.Fhir($"ExplanationOfBenefit?patient={member.PatientId}&use=preauthorization"));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        finally
        {
            App.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task PriorAuthorizations_CountAndPostSearch_PageLikeEverySearch()
    {
        var member = await ArrangeMemberAsync("Paged", "Pia", "1966-03-03");
        var claim = await App.StoreAsync(FhirData.Claim(member.PatientId));
        var decided = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            decided.Add(await DecisionAsync(member, claim, "A1", DateTimeOffset.UtcNow.AddMonths(6)));
        }

        using var payer = NewPayer(FhirData.Unique("payer"));
        using var match = await MatchAsync(payer, FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(member.MemberId), FhirData.CurrentConsent()));
        Assert.Equal(HttpStatusCode.OK, match.StatusCode);

        var seen = new List<string>();
        Uri? next = FhirHttp.Fhir($"ExplanationOfBenefit?patient=Patient/{member.PatientId}&use=preauthorization&_count=2");
        var pages = 0;
        while (next is not null)
        {
            using var response = await payer.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bundle = await FhirHttp.ReadAsync<Bundle>(response);
            Assert.True(bundle.Entry.Count <= 2);
            Assert.Equal(3, bundle.Total);
            seen.AddRange(bundle.Entry.Select(e => e.Resource!.Id!));
            next = bundle.NextLink is { } link ? new Uri(link.PathAndQuery, UriKind.Relative) : null;
            pages++;
        }

        using var form = new FormUrlEncodedContent([new("patient", $"Patient/{member.PatientId}"), new("use", "preauthorization")]);
        using var posted = await payer.PostAsync(FhirHttp.Fhir("ExplanationOfBenefit/_search"), form);

        Assert.Equal(2, pages);
        Assert.Equal(decided.Order(), seen.Order());
        Assert.Equal(decided.Order(), (await FhirHttp.ReadAsync<Bundle>(posted)).Entry.Select(e => e.Resource!.Id!).Order());
    }

    [Theory]
    [InlineData("ExplanationOfBenefit?patient=p1")]
    [InlineData("ExplanationOfBenefit?patient=p1&use=claim")]
    [InlineData("ExplanationOfBenefit?use=preauthorization")]
    [InlineData("ExplanationOfBenefit?patient=bad!id&use=preauthorization")]
    [InlineData("ExplanationOfBenefit?patient=p1&use=preauthorization&status=active")]
    [InlineData("ExplanationOfBenefit?patient=p1&use=preauthorization&_count=none")]
    [InlineData("ExplanationOfBenefit?patient=p1&patient=p2&use=preauthorization")]
    public async Task PriorAuthorizations_BadQuery_Returns400(string relative)
    {
        using var payer = NewPayer(FhirData.Unique("payer"));

        using var response = await payer.GetAsync(FhirHttp.Fhir(relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await FhirHttp.OutcomeAsync(response);
    }

    private async Task<string> DecisionAsync(Member member, Claim claim, string reviewAction, DateTimeOffset? until, ClaimUseCode use = ClaimUseCode.Preauthorization) =>
        (await App.StoreAsync(FhirData.Decision(member.PatientId, claim.Id!, reviewAction, until, use: use))).Id!;

    private static ExplanationOfBenefit WithoutMetaProfile(ExplanationOfBenefit eob)
    {
        var copy = (ExplanationOfBenefit)eob.DeepCopy();
        copy.Meta!.Profile = [];
        return copy;
    }

    private static Consent WithStatus(Consent.ConsentState status)
    {
        var consent = FhirData.CurrentConsent();
        consent.Status = status;
        return consent;
    }

    private static Consent WithProvisionType(Consent.ConsentProvisionType type)
    {
        var consent = FhirData.CurrentConsent();
        consent.Provision!.Type = type;
        return consent;
    }

    private static Consent OtherPatient()
    {
        var consent = FhirData.CurrentConsent();
        consent.Patient = new ResourceReference("Patient/someone-else");
        return consent;
    }
}

public sealed class PayerToPayerSqliteTests(SqliteFhirApi api) : PayerToPayerSuite(api), IClassFixture<SqliteFhirApi>;

public sealed class PayerToPayerPostgresTests(PostgresFhirApi api) : PayerToPayerSuite(api), IClassFixture<PostgresFhirApi>;
