using System.Net;
using Hl7.Fhir.Model;
using Microsoft.Playwright;
using SpinePolicy.Fhir;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.ReviewQueue.Tests.Support;
using SpinePolicy.TestKit.Browser;
using SpinePolicy.TestKit.Ehr;
using SpinePolicy.TestKit.Security;
using Task = System.Threading.Tasks.Task;
using WireMock.RequestBuilders;
using WireMockResponse = WireMock.ResponseBuilders.Response;

namespace SpinePolicy.ReviewQueue.Tests;

/// <summary>
/// One request from the clinic to the reviewer and back, as the people involved use it: the clinic
/// subscribes to its decisions; a clinician, launched from the EHR into the DTR app, completes the
/// BVNA form without six months of failed conservative care and submits (pended, A4); a reviewer
/// signs in to the queue, finds the request, approves it; the clinic's $inquire and its subscriber
/// both see the approval with the number the reviewer was shown. axe-core checks every page of ours
/// on the way.
/// </summary>
[Trait("Category", "Browser")]
public sealed class PendedRequestJourneyTests(JourneyServer server) : IClassFixture<JourneyServer>
{
    private const string SubmitPath = "/fhir/Claim/$submit";

    [Fact]
    [Trait("Clause", "P6")]
    public async Task DtrSubmitPendedThenReviewerApproves_ProviderInquiryAndSubscriberSeeTheAuthorization()
    {
        // The clinic (its NPI is the requesting organization in the EHR's record) subscribes first.
        server.Subscriber.Given(Request.Create().WithPath("/hooks/riverside").UsingPost()).RespondWith(WireMockResponse.Create().WithStatusCode(200));
        using var provider = server.FhirClient();
        var subscription = await PasHost.PostAsync(provider, "/fhir/Subscription",
            SubscriptionRequests.NewSubscription($"{server.Subscriber.Url}/hooks/riverside", $"org-identifier={TestClients.NpiSystem}|{TestClients.ProviderNpi}"));
        Assert.Equal(HttpStatusCode.Created, subscription.Status);

        // The clinician: launched from the EHR, completes the form, submits.
        var patient = EhrRecords.ApprovedPatient;
        var dtr = new DtrPageDriver(await server.LaunchDtrAsync(patient, new { reference = $"ServiceRequest/{patient}-bvna" }, new { reference = $"Coverage/{patient}-coverage" }));
        await dtr.WaitForFormAsync();
        await Accessibility.AssertNoViolationsAsync(dtr.Page);
        await dtr.CompleteBvnaAsync(priorLumbarSurgery: "No", failedConservativeCare: "No");
        var submit = await dtr.Page.RunAndWaitForRequestAsync(
            () => dtr.ClickAndWaitForOutcomeAsync("Submit prior authorization", "Pended for clinical review (A4)"),
            r => r.Method == "POST" && new Uri(r.Url).AbsolutePath == SubmitPath);
        await Assertions.Expect(dtr.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Pended");
        await Accessibility.AssertNoViolationsAsync(dtr.Page);
        Assert.True(dtr.ConsoleErrors.Count == 0, string.Join(Environment.NewLine, dtr.ConsoleErrors));
        var submitted = FhirJson.Parse<Bundle>(submit.PostData!);
        var claimIdentifier = Assert.Single(((Claim)submitted.Entry[0].Resource!).Identifier).Value!;
        await dtr.Page.Context.CloseAsync();

        // The reviewer: signs in, finds the request in the queue, opens it, approves Item 1.
        var page = await server.SignInAsync("rita");
        var row = page.GetByRole(AriaRole.Table, new() { Name = "Pended requests" }).GetByRole(AriaRole.Row).Filter(new() { HasText = claimIdentifier });
        await Assertions.Expect(row).ToContainTextAsync("Morgan Reyes");
        await Assertions.Expect(row).ToContainTextAsync("64628");
        await Assertions.Expect(row).ToContainTextAsync("P6");
        await Accessibility.AssertNoViolationsAsync(page);

        await row.GetByRole(AriaRole.Link, new() { Name = claimIdentifier }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(claimIdentifier);
        await Accessibility.AssertNoViolationsAsync(page);
        var number = await CaseDecisionForm.ApproveFirstItemAsync(page, "Conservative care since spring documented in the clinic's notes.");
        Assert.NotEmpty(number);
        await Accessibility.AssertNoViolationsAsync(page);
        await page.Context.CloseAsync();

        // The clinic: its $inquire (the request it sent, as an inquiry) and its subscriber see the approval.
        var inquiry = await PasHost.PostAsync(provider, "/fhir/Claim/$inquire", InquiryFor(submitted));
        Assert.Equal(HttpStatusCode.OK, inquiry.Status);
        Assert.Equal("A1", inquiry.ActionOf(1));
        Assert.Equal(number, inquiry.ClaimResponse.PreAuthRef);

        var notified = await NotificationAsync("/hooks/riverside");
        var focus = Assert.IsType<ClaimResponse>(notified.Entry[1].Resource);
        Assert.Equal(inquiry.ClaimResponse.Id, focus.Id);
        Assert.Equal("A1", ClaimResponseItems.ActionOf(focus.Item[0])?.X12().Code);
        Assert.Equal(number, focus.PreAuthRef);
    }

    /// <summary>The request Bundle as PAS's inquiry: the same Claim under the inquiry profile, in a Bundle of its own.</summary>
    private static Bundle InquiryFor(Bundle submitted)
    {
        var inquiry = (Bundle)submitted.DeepCopy();
        inquiry.Entry[0].Resource!.Meta = new Meta { Profile = ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-claim-inquiry"] };
        inquiry.Identifier = new Identifier("urn:ietf:rfc:3986", $"urn:uuid:{Guid.NewGuid()}");
        return inquiry;
    }

    /// <summary>Notifications are delivered by a background dispatcher: wait (bounded) for the one on this path.</summary>
    private async Task<Bundle> NotificationAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var entries = server.Subscriber.FindLogEntries(Request.Create().WithPath(path).UsingPost());
            if (entries.Count > 0)
            {
                return FhirJson.Parse<Bundle>(entries[0].RequestMessage.Body!);
            }

            Assert.True(DateTime.UtcNow < deadline, $"No notification reached {path} within 15 s.");
            await Task.Delay(50);
        }
    }
}
