using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Microsoft.Playwright;
using SpinePolicy.ReviewQueue.Tests.Support;
using SpinePolicy.TestKit.Browser;
using SpinePolicy.Storage;

namespace SpinePolicy.ReviewQueue.Tests;

/// <summary>
/// The reviewer queue as a reviewer uses it: Chromium signs in through the OpenID Connect provider
/// (authorization code + PKCE), finds a request pended by $submit, decides it, and the provider's
/// $inquire sees the decision. Tests share one server and browser; each works on its own requests.
/// </summary>
public sealed class ReviewQueueBrowserTests(ReviewQueueServer server) : IClassFixture<ReviewQueueServer>
{
    [Fact]
    [Trait("Clause", "P6")]
    public async Task Queue_ReviewerApprovesPendedRequest_InquireShowsA1WithTheAuthorizationNumber()
    {
        var request = await server.SubmitPendedAsync();
        var page = await server.SignInAsync("rita");

        var queue = page.GetByRole(AriaRole.Table, new() { Name = "Pended requests" });
        var row = queue.GetByRole(AriaRole.Row).Filter(new() { HasText = request.ClaimIdentifier });
        await Assertions.Expect(row).ToContainTextAsync("Alex Testmember");
        await Assertions.Expect(row).ToContainTextAsync("64628");
        await Assertions.Expect(row).ToContainTextAsync("Commercial");
        await Assertions.Expect(row).ToContainTextAsync("P6");
        await Accessibility.AssertNoViolationsAsync(page);
        await Screenshots.TakeAsync(page, "queue");

        await row.GetByRole(AriaRole.Link, new() { Name = request.ClaimIdentifier }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(request.ClaimIdentifier);
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("P6");
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("6 months");
        await Accessibility.AssertNoViolationsAsync(page);
        await Screenshots.TakeAsync(page, "case");

        var number = await CaseDecisionForm.ApproveFirstItemAsync(page, "Conservative care documented in the chart on review.");
        Assert.NotEmpty(number);
        await Accessibility.AssertNoViolationsAsync(page);
        await Screenshots.TakeAsync(page, "decision-recorded");

        var inquiry = await server.InquireAsync(request);
        Assert.Equal("A1", inquiry.ActionOf(1));
        Assert.Equal(number, inquiry.ClaimResponse.PreAuthRef);
        Assert.Contains("Rita Reviewer", inquiry.NotesOf(1), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Case_ReviewerDeniesWithAReason_InquireShowsA3WithThatReason()
    {
        var request = await server.SubmitPendedAsync();
        var page = await server.SignInAsync("rita");
        await page.GetByRole(AriaRole.Link, new() { Name = request.ClaimIdentifier }).ClickAsync();

        await CaseDecisionForm.FillDenialOfFirstItemAsync(page, "0T", "Radicular pain documented on examination (P7.1).");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("A3");
        var inquiry = await server.InquireAsync(request);
        Assert.Equal("A3", inquiry.ActionOf(1));
        Assert.Contains("0T", inquiry.ReasonCodesOf(1));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Case_DenyWithoutANote_RefusedWithTheReviewValidationAndStillPended()
    {
        var request = await server.SubmitPendedAsync();
        var page = await server.SignInAsync("rita");
        await page.GetByRole(AriaRole.Link, new() { Name = request.ClaimIdentifier }).ClickAsync();

        var item = page.GetByRole(AriaRole.Group, new() { Name = "Item 1", Exact = true });
        await item.GetByRole(AriaRole.Radio, new() { Name = "Deny" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("note");
        Assert.Equal("A4", (await server.InquireAsync(request)).ActionOf(1));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Case_RefusedDecision_FocusesTheErrorInTheFormsWordsAndKeepsWhatTheReviewerChose()
    {
        var request = await server.SubmitPendedAsync();
        var page = await server.SignInAsync("rita");
        await page.GetByRole(AriaRole.Link, new() { Name = request.ClaimIdentifier }).ClickAsync();
        var record = page.GetByRole(AriaRole.Button, new() { Name = "Record decision" });
        var alert = page.GetByRole(AriaRole.Alert);

        // Nothing chosen: the page says which control to use, not the API's parameter names.
        await record.ClickAsync();
        await Assertions.Expect(alert).ToContainTextAsync("Choose Approve or Deny for at least one item.");
        await Assertions.Expect(alert).Not.ToContainTextAsync("parameter");
        await Assertions.Expect(alert).ToBeFocusedAsync();

        // A denial without a note: the reviewer's choice and reason are still there, the note is
        // marked invalid, and the error links to it.
        var item = page.GetByRole(AriaRole.Group, new() { Name = "Item 1", Exact = true });
        await item.GetByRole(AriaRole.Radio, new() { Name = "Deny" }).CheckAsync();
        await item.GetByLabel("Denial reason").SelectOptionAsync("0T");
        var refused = await page.RunAndWaitForResponseAsync(() => record.ClickAsync(), r => r.Request.Method == "POST");

        Assert.Equal(400, refused.Status);
        await Assertions.Expect(alert).ToBeFocusedAsync();
        await Assertions.Expect(alert).ToContainTextAsync("Item 1: write a note giving the reason for the denial");
        await Assertions.Expect(item.GetByRole(AriaRole.Radio, new() { Name = "Deny" })).ToBeCheckedAsync();
        await Assertions.Expect(item.GetByLabel("Denial reason")).ToHaveValueAsync("0T");
        await Assertions.Expect(item.GetByLabel("Note")).ToHaveAttributeAsync("aria-invalid", "true");
        await Accessibility.AssertNoViolationsAsync(page);
        Assert.Equal("A4", (await server.InquireAsync(request)).ActionOf(1));

        // Following the error's link lands on the note; once written, the denial is recorded and
        // focus moves to the outcome.
        await alert.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(item.GetByLabel("Note")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Radicular pain documented on examination (P7.1).");
        await record.ClickAsync();
        var status = page.GetByRole(AriaRole.Status);
        await Assertions.Expect(status).ToContainTextAsync("A3");
        await Assertions.Expect(status).ToBeFocusedAsync();
        Assert.Contains("0T", (await server.InquireAsync(request)).ReasonCodesOf(1));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Case_DecidedInAnotherTabFirst_SecondTabToldAnotherReviewerDecidedAndTheFirstDecisionStands()
    {
        var request = await server.SubmitPendedAsync();
        var first = await server.SignInAsync("rita");
        await first.GetByRole(AriaRole.Link, new() { Name = request.ClaimIdentifier }).ClickAsync();
        var second = await first.Context.NewPageAsync();
        await second.GotoAsync(first.Url);

        await CaseDecisionForm.ApproveFirstItemAsync(first, "Approved from the first tab.");
        var item = second.GetByRole(AriaRole.Group, new() { Name = "Item 1", Exact = true });
        await item.GetByRole(AriaRole.Radio, new() { Name = "Deny" }).CheckAsync();
        await item.GetByLabel("Note").FillAsync("Denied from the second tab.");
        var refused = await second.RunAndWaitForResponseAsync(
            () => second.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync(),
            r => r.Request.Method == "POST");

        Assert.Equal(409, refused.Status);
        var alert = second.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToContainTextAsync("Another reviewer decided this request while you were looking at it");
        await Assertions.Expect(alert).ToBeFocusedAsync();
        await Assertions.Expect(second.GetByRole(AriaRole.Button, new() { Name = "Record decision" })).ToHaveCountAsync(0);
        Assert.Equal("A1", (await server.InquireAsync(request)).ActionOf(1));
        await first.Context.CloseAsync();
    }

    [Fact]
    public async Task QueueAndCase_OnAPhoneWidth_PageNeverScrollsSidewaysAndTablesScrollInTheirOwnRegion()
    {
        var request = await server.SubmitPendedAsync();
        var page = await server.SignInAsync("rita");
        await page.SetViewportSizeAsync(375, 740);
        await page.ReloadAsync();

        await AssertNoSidewaysScrollAsync(page);
        var region = page.GetByRole(AriaRole.Region, new() { Name = "Pended requests" });
        await Assertions.Expect(region).ToHaveAttributeAsync("tabindex", "0");
        Assert.True(await region.EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth"), "the queue's table is wider than a phone: it should scroll inside its region");
        await Accessibility.AssertNoViolationsAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = request.ClaimIdentifier }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(request.ClaimIdentifier);
        await AssertNoSidewaysScrollAsync(page);
        var button = await page.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).BoundingBoxAsync();
        Assert.True(button is { } box && box.X >= 0 && box.X + box.Width <= 375, "the decision button is cut off at 375 px");
        await Accessibility.AssertNoViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    /// <summary>WCAG 1.4.10 (reflow): at 320–375 CSS pixels, content needs no horizontal page scroll.</summary>
    private static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"{page.Url} scrolls sideways at {widths[1]} px: its content is {widths[0]} px wide");
    }

    [Fact]
    public async Task Queue_KeyboardOnly_ReviewerReachesTheCaseAndRecordsADecision()
    {
        var request = await server.SubmitPendedAsync();
        var page = await server.SignInAsync("rita");
        var link = page.GetByRole(AriaRole.Link, new() { Name = request.ClaimIdentifier });

        // Tab until the request's link has focus, then Enter; no mouse anywhere.
        for (var i = 0; i < 200 && !await link.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(request.ClaimIdentifier);
        var approve = page.GetByRole(AriaRole.Group, new() { Name = "Item 1", Exact = true }).GetByRole(AriaRole.Radio, new() { Name = "Approve" });
        for (var i = 0; i < 200 && !await approve.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await page.Keyboard.PressAsync("Space");
        var button = page.GetByRole(AriaRole.Button, new() { Name = "Record decision" });
        for (var i = 0; i < 50 && !await button.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("A1");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Queue_UserWithoutTheReviewerRole_Refused()
    {
        var page = await server.Chromium.NewPageAsync();
        await page.GotoAsync(server.BaseUrl + "/review/");
        await page.GetByLabel("Username").FillAsync("carl");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Url.Contains("/review/access-denied", StringComparison.Ordinal));

        Assert.Equal(403, response.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Access denied");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Pended requests" })).ToHaveCountAsync(0);
        await Accessibility.AssertNoViolationsAsync(page);
        var again = await page.GotoAsync(server.BaseUrl + "/review/");
        Assert.Equal(403, again!.Status);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Decision_PostedWithoutTheAntiforgeryToken_RefusedAndNothingRecorded()
    {
        var request = await server.SubmitPendedAsync();
        var page = await server.SignInAsync("rita");
        await page.GetByRole(AriaRole.Link, new() { Name = request.ClaimIdentifier }).ClickAsync();

        // The reviewer's own session cookie, but a form that did not come from our page.
        var forged = await page.Context.APIRequest.PostAsync(page.Url, new APIRequestContextOptions
        {
            Form = page.Context.APIRequest.CreateFormData().Set("Items[0].Sequence", "1").Set("Items[0].Action", "A1"),
            MaxRedirects = 0,
        });

        Assert.Equal(400, forged.Status);
        Assert.Contains("security token", await forged.TextAsync(), StringComparison.Ordinal);
        Assert.Equal("A4", (await server.InquireAsync(request)).ActionOf(1));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Queue_PagesServeAStrictContentSecurityPolicy_NoScriptAllowed()
    {
        var page = await server.SignInAsync("rita");
        var response = await page.ReloadAsync();

        var policy = await response!.HeaderValueAsync("content-security-policy");
        Assert.NotNull(policy);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("script").CountAsync());
        Assert.Contains("no-store", await response.HeaderValueAsync("cache-control") ?? string.Empty, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Queue_FilteredByProductLine_ShowsOnlyThatLine()
    {
        var commercial = await server.SubmitPendedAsync("MGB-COMMERCIAL");
        var medicare = await server.SubmitPendedAsync("MGB-MEDICARE-ADVANTAGE");
        var page = await server.SignInAsync("rita");

        await page.GetByLabel("Product line").SelectOptionAsync(new SelectOptionValue { Label = "Medicare Advantage" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        var queue = page.GetByRole(AriaRole.Table, new() { Name = "Pended requests" });
        await Assertions.Expect(queue).ToContainTextAsync(medicare.ClaimIdentifier);
        await Assertions.Expect(queue).Not.ToContainTextAsync(commercial.ClaimIdentifier);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Decision_RecordedInTheQueue_AuditedUnderTheSignedInReviewer()
    {
        var request = await server.SubmitPendedAsync();
        var page = await server.SignInAsync("rita");
        await page.GetByRole(AriaRole.Link, new() { Name = request.ClaimIdentifier }).ClickAsync();
        var recordId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        await page.GetByRole(AriaRole.Group, new() { Name = "Item 1", Exact = true }).GetByRole(AriaRole.Radio, new() { Name = "Approve" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("A1");

        var audit = await WaitForReviewAuditAsync(recordId);

        var who = Assert.Single(audit.Agent).Who!.Identifier!;
        Assert.Equal(TestIdentityProvider.Users["rita"].Subject, who.Value);
        Assert.Equal(server.IdentityProvider.Issuer, who.System);
        Assert.Equal(AuditEvent.AuditEventOutcome.N0, audit.Outcome);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Case_ReviewerExtendsTheTimeframe_ProviderSeesTheNewDueTimeAndTheReason()
    {
        var request = await server.SubmitPendedAsync();
        var page = await server.SignInAsync("rita");
        await page.GetByRole(AriaRole.Link, new() { Name = request.ClaimIdentifier }).ClickAsync();

        await page.GetByLabel("Calendar days").FillAsync("5");
        await page.GetByLabel("Reason", new() { Exact = true }).FillAsync("Imaging report requested from the provider.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Extend timeframe" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Timeframe extended");
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("extended by 5 days");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Extend timeframe" })).ToHaveCountAsync(0);
        await Accessibility.AssertNoViolationsAsync(page);
        var inquiry = await server.InquireAsync(request);
        Assert.Equal("A4", inquiry.ActionOf(1));
        Assert.Contains(inquiry.ClaimResponse.ProcessNote, n => n.Text is { } text && text.Contains("extended by 5 calendar day(s)", StringComparison.Ordinal) && text.Contains("Imaging report requested", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task MetricsPage_AnyoneWithoutSigningIn_ReadsAccessibleTablesOfTheYearsFigures()
    {
        await server.SubmitPendedAsync();
        var year = DateTime.UtcNow.Year;
        var page = await server.Chromium.NewPageAsync();

        var response = await page.GotoAsync($"{server.BaseUrl}/metrics/prior-authorization?year={year}");

        Assert.Equal(200, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Prior authorization metrics, calendar year {year}");
        var received = page.GetByRole(AriaRole.Table, new() { Name = "Requests received, all programs" });
        await Assertions.Expect(received.GetByRole(AriaRole.Row, new() { Name = "Still awaiting a decision" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Decisions by timeframe, all programs" })).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page);
        await Screenshots.TakeAsync(page, "metrics");
        await page.Context.CloseAsync();
    }

    /// <summary>Audit records are committed shortly after the answer (a background writer): poll, bounded.</summary>
    private async Task<AuditEvent> WaitForReviewAuditAsync(string recordId)
    {
        var store = (IResourceStore)server.App.Services.GetService(typeof(IResourceStore))!;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            var page = await store.SearchAsync(new ResourceSearch("AuditEvent") { Count = 200 }, CancellationToken.None);
            var found = page.Resources
                .Select(r => Fhir.FhirJson.Parse<AuditEvent>(r.Json))
                .FirstOrDefault(a => a.Subtype.Any(s => s.Code == "$review") && a.Entity.Any(e => e.What?.Reference == $"ClaimResponse/{recordId}"));
            if (found is not null)
            {
                return found;
            }

            await System.Threading.Tasks.Task.Delay(100);
        }

        throw new TimeoutException($"No $review audit record for ClaimResponse/{recordId} within 15 s.");
    }
}
