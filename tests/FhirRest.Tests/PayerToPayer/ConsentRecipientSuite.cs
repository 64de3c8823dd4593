using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.PayerToPayer;

/// <summary>
/// A member's consent authorises disclosure to one payer (HRex: the provision actor with role
/// IRCP). A payer partner whose binding lists the identifiers it is known by may use only a
/// consent naming it: a consent the member gave another payer is refused with 422 before any
/// lookup, grants nothing, and counts for nothing towards the lockout (like every refused
/// consent). A "*" binding lists no identifiers, and the recipient then cannot be checked.
/// Run once per storage provider.
/// </summary>
public abstract class ConsentRecipientSuite(FhirApiFixture api)
{
    private const string IrcpSystem = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

    private static readonly Uri MemberMatchUri = FhirHttp.Fhir("Patient/$member-match");

    private FhirRestApp App => api.App;

    private sealed record Member(string PatientId, string MemberId, Patient Demographics);

    private async Task<Member> ArrangeMemberAsync()
    {
        using var admin = FhirHttp.Admin(App);
        var memberId = FhirData.Unique("M");
        var patient = await FhirHttp.CreateAsync(admin, FhirData.Patient("Recipient", "Rosa", "1969-04-21", memberId: memberId));
        await FhirHttp.CreateAsync(admin, FhirData.Coverage(patient.Id!, memberId));
        return new Member(patient.Id!, memberId, FhirData.Patient("Recipient", "Rosa", "1969-04-21"));
    }

    private HttpClient IdentifiedPayer() =>
        FhirHttp.Partner(App, IdentifiedPartner.ClientId, "system/Patient.read", "system/ExplanationOfBenefit.read");

    private static async Task<HttpResponseMessage> MatchAsync(HttpClient client, Member member, Consent consent) =>
        await client.PostAsync(MemberMatchUri, FhirHttp.Json(FhirData.MemberMatch(member.Demographics, FhirData.CardCoverage(member.MemberId), consent)));

    /// <summary>The current consent with its recipient replaced, and any Organizations it should contain.</summary>
    private static Consent ConsentTo(ResourceReference recipient, params Organization[] contained)
    {
        var consent = FhirData.CurrentConsent();
        consent.Provision!.Actor.Single(a => a.Role.Coding.Any(c => c.System == IrcpSystem && c.Code == "IRCP")).Reference = recipient;
        consent.Contained.AddRange(contained);
        return consent;
    }

    private static ResourceReference ByIdentifier(string system, string value) =>
        new() { Identifier = new Identifier(system, value), Display = "New Health Plan" };

    private static Organization Payer(string id, string system, string value) =>
        new() { Id = id, Name = "A health plan", Identifier = [new Identifier(system, value)] };

    public static TheoryData<string, Func<Consent>> ConsentsForTheRequester => new()
    {
        { "its NPI", () => ConsentTo(ByIdentifier(IdentifiedPartner.NpiSystem, IdentifiedPartner.Npi)) },
        { "its payer id", () => ConsentTo(ByIdentifier(IdentifiedPartner.PayerIdSystem, IdentifiedPartner.PayerId)) },
        { "a contained Organization with its payer id", () => ConsentTo(new ResourceReference("#new-plan"), Payer("new-plan", IdentifiedPartner.PayerIdSystem, IdentifiedPartner.PayerId)) },
        { "two recipients, one of them it", () => TwoRecipients() },
    };

    [Theory]
    [MemberData(nameof(ConsentsForTheRequester))]
    public async Task MemberMatch_ConsentNamingTheRequestingPayer_Matches(string recipient, Func<Consent> consent)
    {
        var member = await ArrangeMemberAsync();
        using var payer = IdentifiedPayer();

        using var response = await MatchAsync(payer, member, consent());

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{recipient}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static TheoryData<string, Func<Consent>> ConsentsForAnotherPayer => new()
    {
        { "another payer's NPI", () => ConsentTo(ByIdentifier(IdentifiedPartner.NpiSystem, IdentifiedPartner.OtherPayerNpi)) },
        { "its NPI under another system", () => ConsentTo(ByIdentifier("https://some-registry.test.example/id", IdentifiedPartner.Npi)) },
        { "its NPI without a system", () => ConsentTo(new ResourceReference { Identifier = new Identifier(null, IdentifiedPartner.Npi) }) },
        { "a contained Organization of another payer", () => ConsentTo(new ResourceReference("#other"), Payer("other", IdentifiedPartner.NpiSystem, IdentifiedPartner.OtherPayerNpi)) },
        { "a literal reference to another server", () => ConsentTo(new ResourceReference("https://other-payer.test.example/fhir/Organization/77")) },
    };

    /// <summary>
    /// Payer B presents a consent the member gave payer C: before the fix only "is the recipient
    /// not us" was checked, and B matched the member and read its prior authorizations.
    /// </summary>
    [Theory]
    [MemberData(nameof(ConsentsForAnotherPayer))]
    public async Task MemberMatch_ConsentWrittenForAnotherPayer_Refused422AndGrantsNothing(string recipient, Func<Consent> consent)
    {
        var member = await ArrangeMemberAsync();
        using var payer = IdentifiedPayer();

        using var response = await MatchAsync(payer, member, consent());

        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{recipient}: {response.StatusCode}");
        var body = await response.Content.ReadAsStringAsync();
        var issue = (await FhirHttp.OutcomeAsync(response)).Issue.Single();
        Assert.StartsWith("Consent cannot be honoured", issue.Diagnostics);
        Assert.Contains("does not authorise disclosure to the requesting payer", issue.Diagnostics);
        Assert.DoesNotContain(member.MemberId, body, StringComparison.Ordinal);
        Assert.DoesNotContain("Recipient", body, StringComparison.Ordinal);
        Assert.DoesNotContain(member.PatientId, body, StringComparison.Ordinal);

        using var eobs = await payer.GetAsync(FhirHttp.Fhir($"ExplanationOfBenefit?patient={member.PatientId}&use=preauthorization"));
        using var patient = await payer.GetAsync(FhirHttp.Fhir($"Patient/{member.PatientId}"));
        Assert.Equal(HttpStatusCode.Forbidden, eobs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, patient.StatusCode);
    }

    /// <summary>Like every refused consent, one written for another payer probes no member and so counts for nothing.</summary>
    [Fact]
    public async Task MemberMatch_ManyConsentsForAnotherPayer_DoNotLockTheClientOut()
    {
        var member = await ArrangeMemberAsync();
        using var payer = IdentifiedPayer();
        for (var attempt = 0; attempt < 7; attempt++)
        {
            using var refused = await MatchAsync(payer, member, ConsentTo(ByIdentifier(IdentifiedPartner.NpiSystem, IdentifiedPartner.OtherPayerNpi)));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        }

        using var match = await MatchAsync(payer, member, ConsentTo(ByIdentifier(IdentifiedPartner.NpiSystem, IdentifiedPartner.Npi)));

        Assert.Equal(HttpStatusCode.OK, match.StatusCode);
    }

    /// <summary>
    /// A "*" binding lists no identifiers: the recipient is only checked not to be us (the residual
    /// risk docs/security.md names; list the payer's identifiers in its own binding to close it).
    /// </summary>
    [Fact]
    public async Task MemberMatch_StarBindingWithoutIdentifiers_RecipientIsNotChecked()
    {
        var member = await ArrangeMemberAsync();
        using var anyClient = FhirHttp.Partner(App, FhirData.Unique("unlisted"), "system/Patient.read");

        using var response = await MatchAsync(anyClient, member, ConsentTo(ByIdentifier(IdentifiedPartner.NpiSystem, IdentifiedPartner.OtherPayerNpi)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static Consent TwoRecipients()
    {
        var consent = ConsentTo(ByIdentifier(IdentifiedPartner.NpiSystem, IdentifiedPartner.OtherPayerNpi));
        consent.Provision!.Actor.Add(new Consent.provisionActorComponent
        {
            Role = new CodeableConcept(IrcpSystem, "IRCP"),
            Reference = ByIdentifier(IdentifiedPartner.NpiSystem, IdentifiedPartner.Npi),
        });
        return consent;
    }
}

public sealed class ConsentRecipientSqliteTests(SqliteFhirApi api) : ConsentRecipientSuite(api), IClassFixture<SqliteFhirApi>;

public sealed class ConsentRecipientPostgresTests(PostgresFhirApi api) : ConsentRecipientSuite(api), IClassFixture<PostgresFhirApi>;
