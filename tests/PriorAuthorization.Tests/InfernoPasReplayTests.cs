using Hl7.Fhir.Model;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Validation;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>
/// Every request Inferno's PAS test kit sends (tests/fixtures/inferno/pas) replayed through the real
/// pipeline: none gets a 5xx; each gets the status the kit expects, and what the server emits for the
/// conformant ones validates against its PAS 2.0.1 profile and passes the checks a validator alone
/// does not make (the first entry a ClaimResponse, fullUrls agree with ids, every reference resolves).
/// </summary>
public sealed class InfernoPasReplayTests : IDisposable
{
    private readonly PasHost _host = new(new Dictionary<string, string?>
    {
        // Inferno's subscriptions name its own public notification host: allow-listed so that creating one needs no DNS here.
        ["Pas:SubscriptionEndpointAllowList:0"] = "subscriptions.argo.run",
    });

    public void Dispose() => _host.Dispose();

    /// <summary>Each request fixture, where it goes, and the status the kit expects of a conformant server.</summary>
    public static TheoryData<string, string, int> Requests => new()
    {
        { "pas/conformant_pas_bundle_v110.json", "/fhir/Claim/$submit", 200 },
        { "pas/conformant_pas_bundle_v110_multiple_items.json", "/fhir/Claim/$submit", 200 },
        { "pas/conformant_pas_bundle_v110_uuid.json", "/fhir/Claim/$submit", 200 },
        { "pas/nonconformant_pas_bundle_v110.json", "/fhir/Claim/$submit", 400 },
        { "pas/missing_referenced_resource_request_bundle.json", "/fhir/Claim/$submit", 400 },
        { "pas/pas_claim.json", "/fhir/Claim/$submit", 400 },
        { "pas/conformant_pas_inquire_bundle_v110.json", "/fhir/Claim/$inquire", 200 },
        { "pas/PAS_Subscription_example_full_resource.json", "/fhir/Subscription", 201 },
        { "pas/PAS_Subscription_example_id_only.json", "/fhir/Subscription", 201 },
        { "pas/PAS_Subscription_example_v221_good.json", "/fhir/Subscription", 201 },
        { "pas/PAS_Subscription_example_v221_bad.json", "/fhir/Subscription", 422 },
        { "pas/PAS_Subscription_example_bad_topic_and_criteria.json", "/fhir/Subscription", 422 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Replay_InfernoPasRequest_AnswersAsTheKitExpects(string fixture, string path, int expected)
    {
        // The kit's submissions share their identifiers: each replay gets its own, as a new request would.
        var unique = Guid.NewGuid().ToString("N");
        var json = WithOwnIdentifiers(fixture, unique);
        if (path.EndsWith("$inquire", StringComparison.Ordinal))
        {
            // An inquiry asks about an earlier submission: make that submission first.
            var submitted = WithOwnIdentifiers("pas/conformant_pas_bundle_v110.json", unique);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await PasHost.PostJsonAsync(_host.Client, "/fhir/Claim/$submit", submitted)).Status);
        }

        var answer = await PasHost.PostJsonAsync(_host.Client, path, json);

        Assert.True((int)answer.Status == expected, $"{fixture}: {(int)answer.Status} {answer.Body}");
        Assert.DoesNotContain("   at ", answer.Body, StringComparison.Ordinal);
        if (expected >= 400)
        {
            var issue = Assert.Single(answer.Outcome.Issue);
            Assert.False(string.IsNullOrWhiteSpace(issue.Diagnostics));
            return;
        }

        switch (answer.Resource)
        {
            case Bundle bundle when path.EndsWith("$submit", StringComparison.Ordinal):
                AssertSoundResponse(bundle, PasCodes.ResponseBundleProfile);
                break;
            case Bundle bundle:
                AssertSoundResponse(bundle, PasCodes.InquiryResponseBundleProfile);
                break;
            case Subscription subscription:
                Assert.Equal(Subscription.SubscriptionStatus.Active, subscription.Status);
                // The v2.2.1 example claims PAS 2.2.1's profile-subscription, which the 2.0.1 packages
                // the validator loads do not define: that unresolved claim is the one error allowed.
                var result = FhirProfileValidation.Shared.Validate(subscription, "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription");
                Assert.All(result.Errors, e => Assert.Contains("Unable to resolve reference to profile 'http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-subscription'", e.Text, StringComparison.Ordinal));
                break;
            default:
                Assert.Fail($"{fixture}: unexpected answer {answer.Resource?.TypeName}");
                break;
        }
    }

    /// <summary>The fixture with its Bundle and Claim identifiers (A12345, 111099) made this replay's own.</summary>
    private static string WithOwnIdentifiers(string fixture, string unique) =>
        RepositoryPaths.ReadInferno(fixture)
            .Replace("\"A12345\"", $"\"A-{unique}\"", StringComparison.Ordinal)
            .Replace("\"111099\"", $"\"T-{unique}\"", StringComparison.Ordinal);

    private static void AssertSoundResponse(Bundle bundle, string profile)
    {
        FhirProfileValidation.Shared.AssertConforms(bundle, profile);
        var response = Assert.IsType<ClaimResponse>(bundle.Entry[0].Resource);
        FhirProfileValidation.Shared.AssertConforms(response, PasCodes.ClaimResponseProfile);
        ConformanceChecks.AssertFullUrlsMatchIds(bundle);
        ConformanceChecks.AssertReferencesResolveInBundle(bundle);
    }
}
