using Microsoft.Playwright;
using SpinePolicy.ReviewQueue.Tests.Support;
using SpinePolicy.TestKit.Browser;

namespace SpinePolicy.ReviewQueue.Tests;

/// <summary>
/// The case page as an independent browser audit drives it: narrow screens and zoom with every
/// control showing, refused fields read out by their own description, and a decision that a reload,
/// the back button or a double click neither posts again nor reports as someone else's.
/// </summary>
public sealed class CasePageRobustnessTests(ReviewQueueServer server) : IClassFixture<ReviewQueueServer>
{
    [Theory]
    [InlineData(320, 640)] // WCAG 1.4.10: a 320 CSS px wide screen
    [InlineData(640, 400)] // a 1280 px wide window at 200 % zoom
    public async Task Case_DenyChosen_PageNeverScrollsSidewaysAndTheDenialReasonFits(int width, int height)
    {
        var request = await server.SubmitPendedAsync();
        var page = await server.SignInAsync("rita");
        await page.GetByRole(AriaRole.Link, new() { Name = request.ClaimIdentifier }).ClickAsync();
        var item = page.GetByRole(AriaRole.Group, new() { Name = "Item 1", Exact = true });
        await item.GetByRole(AriaRole.Radio, new() { Name = "Deny" }).CheckAsync();

        await page.SetViewportSizeAsync(width, height);

        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"the case page with Deny chosen scrolls sideways at {width} px: its content is {widths[0]} px wide");
        var reason = await item.GetByLabel("Denial reason").BoundingBoxAsync();
        Assert.True(reason is { } box && box.X >= 0 && box.X + box.Width <= width, $"the denial reason is cut off at {width} px");
        await Accessibility.AssertNoViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Case_RefusedDecision_EachRefusedControlIsDescribedByItsOwnError()
    {
        var request = await server.SubmitPendedAsync();
        var page = await server.SignInAsync("rita");
        await page.GetByRole(AriaRole.Link, new() { Name = request.ClaimIdentifier }).ClickAsync();
        var item = page.GetByRole(AriaRole.Group, new() { Name = "Item 1", Exact = true });
        var record = page.GetByRole(AriaRole.Button, new() { Name = "Record decision" });

        // Nothing chosen: the item's group and its choices say so, where the reviewer makes the choice.
        await record.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeFocusedAsync();
        await Assertions.Expect(item).ToHaveAccessibleDescriptionAsync("Choose Approve or Deny for at least one item.");
        await Assertions.Expect(item.GetByRole(AriaRole.Radio, new() { Name = "Approve" })).ToHaveAttributeAsync("aria-invalid", "true");
        await Accessibility.AssertNoViolationsAsync(page);

        // A denial without a note: the note is described by the error first, then by its help.
        await item.GetByRole(AriaRole.Radio, new() { Name = "Deny" }).CheckAsync();
        await record.ClickAsync();
        var note = item.GetByLabel("Note");
        await Assertions.Expect(note).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(note).ToHaveAccessibleDescriptionAsync(new System.Text.RegularExpressions.Regex("^Item 1: write a note giving the reason for the denial.*Required when denying"));
        await Assertions.Expect(item).Not.ToHaveAccessibleDescriptionAsync(new System.Text.RegularExpressions.Regex("Choose Approve or Deny"));
        await Accessibility.AssertNoViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Case_ReloadAndBackAfterADecision_ShowTheDecidedRequestAndPostNothingAgain()
    {
        var request = await server.SubmitPendedAsync();
        var page = await server.SignInAsync("rita");
        await page.GetByRole(AriaRole.Link, new() { Name = request.ClaimIdentifier }).ClickAsync();
        var number = await CaseDecisionForm.ApproveFirstItemAsync(page, "Conservative care documented in the chart on review.");
        var posts = 0;
        page.Request += (_, r) => posts += r.Method == "POST" ? 1 : 0;

        var reloaded = await page.ReloadAsync();

        Assert.Equal("GET", reloaded!.Request.Method);
        Assert.Equal(200, reloaded.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"A1 Certified in total. Authorization number {number}");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Record decision" })).ToHaveCountAsync(0);

        await page.GoBackAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(request.ClaimIdentifier);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Record decision" })).ToHaveCountAsync(0);
        await page.GoForwardAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);

        Assert.Equal(0, posts);
        var inquiry = await server.InquireAsync(request);
        Assert.Equal("A1", inquiry.ActionOf(1));
        Assert.Equal(number, inquiry.ClaimResponse.PreAuthRef);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Case_ExtensionThenReload_ShowsTheExtendedTimeframeWithoutPostingAgain()
    {
        var request = await server.SubmitPendedAsync();
        var page = await server.SignInAsync("rita");
        await page.GetByRole(AriaRole.Link, new() { Name = request.ClaimIdentifier }).ClickAsync();
        await page.GetByLabel("Calendar days").FillAsync("5");
        await page.GetByLabel("Reason", new() { Exact = true }).FillAsync("Imaging report requested from the provider.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Extend timeframe" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Timeframe extended");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToBeFocusedAsync();

        var reloaded = await page.ReloadAsync();

        Assert.Equal("GET", reloaded!.Request.Method);
        Assert.Equal(200, reloaded.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("extended by 5 days");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("/review/nothing-here")]
    [InlineData("/review/cases")]
    [InlineData("/review/cases/some-id/extra")]
    public async Task Queue_AddressNoPageServes_NotFoundPageInTheQueuesStyleWithAWayBack(string path)
    {
        var page = await server.SignInAsync("rita");

        var response = await page.GotoAsync(server.BaseUrl + path);

        Assert.Equal(404, response!.Status);
        Assert.StartsWith("text/html", await response.HeaderValueAsync("content-type") ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", await response.HeaderValueAsync("content-security-policy") ?? string.Empty, StringComparison.Ordinal);
        await Assertions.Expect(page).ToHaveTitleAsync("Page not found – SpinePolicy reviewer queue");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Page not found");
        await Accessibility.AssertNoViolationsAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "pended requests" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Pended requests", Level = 1 })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Case_DoubleClickOnRecordDecision_OneDecisionRecordedAndReportedAsTheReviewers()
    {
        var request = await server.SubmitPendedAsync();
        var page = await server.SignInAsync("rita");
        await page.GetByRole(AriaRole.Link, new() { Name = request.ClaimIdentifier }).ClickAsync();
        var item = page.GetByRole(AriaRole.Group, new() { Name = "Item 1", Exact = true });
        await item.GetByRole(AriaRole.Radio, new() { Name = "Approve" }).CheckAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).DblClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("A1");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        var inquiry = await server.InquireAsync(request);
        Assert.Equal("A1", inquiry.ActionOf(1));
        await page.Context.CloseAsync();
    }
}
