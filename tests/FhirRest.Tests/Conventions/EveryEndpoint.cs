using System.Net;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using SpinePolicy.Storage;
using SpinePolicy.Storage.Feedback;
using SpinePolicy.TestKit;

namespace SpinePolicy.FhirRest.Tests.Conventions;

/// <summary>
/// The tables the convention tests run over: every searchable type and every readable type on
/// /fhir, each with a way to arrange data of its own (so that a convention test is one theory over
/// all of them, and a type added to the server without its row is visible here as a gap).
/// </summary>
public abstract partial class FhirConventionsSuite
{
    /// <summary>A search that matches exactly <see cref="Ids"/> (three where the type allows), made by <see cref="Client"/>.</summary>
    protected sealed record ArrangedSearch(HttpClient Client, string Type, IReadOnlyList<KeyValuePair<string, string>> Parameters, IReadOnlyList<string> Ids) : IDisposable
    {
        public string Query => Type + "?" + string.Join('&', Parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));

        public string With(string extra) => Query + (Parameters.Count == 0 ? "" : "&") + extra;

        public void Dispose() => Client.Dispose();
    }

    /// <summary>Every type with a search on /fhir: stored, published, derived (EOB) and the CRD feedback (Basic).</summary>
    public static TheoryData<string> EverySearchType => new()
    {
        "Patient", "Coverage", "Claim", "ClaimResponse", "QuestionnaireResponse", "Consent", "Basic", "ExplanationOfBenefit",
        "Questionnaire", "Library", "ValueSet", "CodeSystem",
    };

    /// <summary>Every type read by id on /fhir (the searchable ones but EOB, which is searched only, plus Subscription).</summary>
    public static TheoryData<string> EveryReadType => new()
    {
        "Patient", "Coverage", "Claim", "ClaimResponse", "QuestionnaireResponse", "Consent", "Basic",
        "Questionnaire", "Library", "ValueSet", "CodeSystem", "Subscription",

        // A version read (vread) of a stored type.
        "Patient/_history",
    };

    protected async Task<ArrangedSearch> ArrangeSearchAsync(string type)
    {
        if (type is "Questionnaire" or "Library" or "ValueSet" or "CodeSystem")
        {
            // What is published is fixed at start-up: every artefact of the type, as one unpaged search lists them.
            var client = Client();
            using var all = await client.GetAsync(FhirHttp.Fhir($"{type}?_count=100"));
            return new ArrangedSearch(client, type, [], await MatchIdsAsync(all));
        }

        var patientId = FhirData.Unique("p");
        switch (type)
        {
            case "Patient":
            {
                using var admin = Client();
                var memberIds = Enumerable.Range(0, 3).Select(_ => FhirData.Unique("m")).ToList();
                var ids = new List<string>();
                foreach (var memberId in memberIds)
                {
                    ids.Add((await FhirHttp.CreateAsync(admin, FhirData.Patient("Every", "Eve", "1970-01-01", memberId: memberId))).Id!);
                }

                return new ArrangedSearch(Client(), type, [new("identifier", string.Join(',', memberIds.Select(m => $"{FhirData.MemberIdSystem}|{m}")))], ids);
            }

            case "Coverage":
            {
                using var admin = Client();
                var ids = new List<string>();
                for (var i = 0; i < 3; i++)
                {
                    ids.Add((await FhirHttp.CreateAsync(admin, FhirData.Coverage(patientId, FhirData.Unique("m")))).Id!);
                }

                return new ArrangedSearch(Client(), type, [new("patient", patientId)], ids);
            }

            case "Claim":
                return await StoredAsync(type, patientId, () => FhirData.Claim(patientId));
            case "ClaimResponse":
                return await StoredAsync(type, patientId, () => FhirData.Decision(patientId, "c-1", "A1"));
            case "QuestionnaireResponse":
                return await StoredAsync(type, patientId, () => new QuestionnaireResponse
                {
                    Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
                    Questionnaire = BvnaUrl,
                    Subject = new ResourceReference("Patient/" + patientId),
                    Authored = "2026-11-01",
                    Identifier = new Identifier(ClaimSystem, FhirData.Unique("qr")),
                });
            case "Consent":
                return await StoredAsync(type, patientId, () =>
                {
                    var consent = FhirData.CurrentConsent();
                    consent.Patient = new ResourceReference("Patient/" + patientId);
                    consent.Identifier = [new Identifier(ClaimSystem, FhirData.Unique("consent"))];
                    return consent;
                });
            case "Basic":
                return await FeedbackAsync();
            case "ExplanationOfBenefit":
                return await PriorAuthorizationsAsync();
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "No arrangement for this type: add one.");
        }
    }

    /// <summary>A resource of <paramref name="type"/> to read by id, and the client that may read it.</summary>
    protected async Task<(HttpClient Client, string Relative)> ArrangeReadAsync(string type)
    {
        if (type == "Subscription")
        {
            var provider = App.CreateFhirClient();
            var created = await FhirHttp.CreateAsync(provider, NewSubscription());
            return (provider, $"Subscription/{created.Id}");
        }

        if (type == "Basic")
        {
            // Basic/{id} reads a CRD coverage assertion (feedback is searched, not read).
            var assertionId = FhirData.Unique("ca");
            await App.Services.GetRequiredService<ICoverageAssertionStore>().SaveAsync([FhirData.CoverageAssertion(assertionId, FhirData.Unique("p"))], CancellationToken.None);
            return (Client(), $"Basic/{assertionId}");
        }

        if (type == "Patient/_history")
        {
            var stored = await ArrangeSearchAsync("Patient");
            return (stored.Client, $"Patient/{stored.Ids[0]}/_history/1");
        }

        var search = await ArrangeSearchAsync(type);
        return (search.Client, $"{type}/{search.Ids[0]}");
    }

    /// <summary>A PAS Subscription of a provider, to an allow-listed endpoint (see the fixtures' settings).</summary>
    protected static Subscription NewSubscription(Subscription.SubscriptionStatus status = Subscription.SubscriptionStatus.Requested)
    {
        var subscription = new Subscription
        {
            Status = status,
            Reason = "PAS decisions for our clinic",
            Criteria = "http://hl7.org/fhir/us/davinci-pas/SubscriptionTopic/PASSubscriptionTopic",
            Channel = new Subscription.ChannelComponent
            {
                Type = Subscription.SubscriptionChannelType.RestHook,
                Endpoint = $"https://{FhirApiFixture.SubscriberHost}/notify",
                Payload = "application/fhir+json",
            },
        };
        subscription.Channel.PayloadElement!.Extension.Add(new Extension("http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content", new Code("id-only")));

        // PAS subscriptions are per requesting organization: the default provider client's own.
        subscription.CriteriaElement!.Extension.Add(new Extension("http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-filter-criteria",
            new FhirString($"org-identifier={SpinePolicy.TestKit.Security.TestClients.ProviderNpi}")));
        return subscription;
    }

    private async Task<ArrangedSearch> StoredAsync(string type, string patientId, Func<Resource> make)
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await App.StoreAsync(make())).Id!);
        }

        return new ArrangedSearch(Client(), type, [new("patient", patientId)], ids);
    }

    /// <summary>Three CDS Hooks feedback entries on one coverage-assertion-id, as the feedback endpoint stores them.</summary>
    private async Task<ArrangedSearch> FeedbackAsync()
    {
        var assertionId = FhirData.Unique("ca");
        var received = DateTimeOffset.UtcNow.AddMinutes(-5);
        var cards = Enumerable.Range(0, 3).Select(i => new IssuedCard(Guid.NewGuid().ToString(), "spinepolicy-order-sign", [assertionId], received.AddMinutes(-1))).ToList();
        await App.Services.GetRequiredService<ICoverageAssertionStore>().SaveAsync([FhirData.CoverageAssertion(assertionId, FhirData.Unique("p"))], cards, CancellationToken.None);
        var feedback = Enumerable.Range(0, 3).Select(i => new CardFeedback
        {
            FeedbackId = FhirData.Unique("fb"),
            ServiceId = "spinepolicy-order-sign",
            CardUuid = cards[i].CardUuid,
            Outcome = "accepted",
            OutcomeTimestamp = received.AddSeconds(i),
            AssertionIds = [assertionId],
            ReceivedAt = received.AddSeconds(i),
        }).ToList();
        await App.Services.GetRequiredService<ICardFeedbackStore>().SaveAsync(feedback, CancellationToken.None);
        return new ArrangedSearch(Client(), "Basic", [new("coverage-assertion-id", assertionId)], feedback.Select(f => f.FeedbackId).ToList());
    }

    /// <summary>
    /// A member with three active prior authorizations, matched (with consent) by a new payer that
    /// then searches them: <paramref name="matchedBy"/> when given (the caller keeps it), else a payer of its own.
    /// </summary>
    private async Task<ArrangedSearch> PriorAuthorizationsAsync(HttpClient? matchedBy = null)
    {
        using var admin = Client();
        var memberId = FhirData.Unique("M");
        var patient = await FhirHttp.CreateAsync(admin, FhirData.Patient("Moved", "Mia", "1966-06-06", memberId: memberId));
        await FhirHttp.CreateAsync(admin, FhirData.Coverage(patient.Id!, memberId));
        var claim = await App.StoreAsync(FhirData.Claim(patient.Id!));
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await App.StoreAsync(FhirData.Decision(patient.Id!, claim.Id!, "A1", DateTimeOffset.UtcNow.AddMonths(6)))).Id!);
        }

        var payer = matchedBy ?? FhirHttp.Partner(App, FhirData.Unique("payer"), "system/Patient.read", "system/ExplanationOfBenefit.read");
        using var match = await payer.PostAsync(FhirHttp.Fhir("Patient/$member-match"),
            FhirHttp.Json(FhirData.MemberMatch(FhirData.Patient("Moved", "Mia", "1966-06-06"), FhirData.CardCoverage(memberId), FhirData.CurrentConsent())));
        Assert.Equal(HttpStatusCode.OK, match.StatusCode);
        return new ArrangedSearch(payer, "ExplanationOfBenefit", [new("patient", $"Patient/{patient.Id}"), new("use", "preauthorization")], ids);
    }

    /// <summary>The matching entries' ids of a search answer, in order.</summary>
    protected static async Task<List<string>> MatchIdsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        var bundle = FhirHttp.ParseAny<Bundle>(body, response.Content.Headers.ContentType?.MediaType);
        return bundle.Entry.Where(e => e.Search?.Mode == Bundle.SearchEntryMode.Match).Select(e => e.Resource!.Id!).ToList();
    }

    protected static string PublicFhirBase => SpinePolicyApp.PublicBaseUrl + "/fhir";
}
