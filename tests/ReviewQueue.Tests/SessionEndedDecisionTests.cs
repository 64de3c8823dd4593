using System.Net;
using Microsoft.Playwright;
using SpinePolicy.ReviewQueue.Tests.Support;
using SpinePolicy.TestKit.Browser;

namespace SpinePolicy.ReviewQueue.Tests;

/// <summary>
/// A reviewer whose sign-in ended while a case was open loses nothing: the decision they post is not
/// recorded, the answer says so and shows what they entered, and signing in again returns them to
/// the form filled with it. A post that cannot be shown to be theirs keeps and echoes nothing.
/// </summary>
public sealed class SessionEndedDecisionTests(LapsingSessionServer server) : IClassFixture<LapsingSessionServer>
{
    private const string Note = "Six weeks of physical therapy only; the policy asks for six months (P6).";

    [Fact]
    public async Task Case_DecisionPostedAfterTheSessionEnded_NothingRecordedAndSigningInAgainReturnsToTheFilledForm()
    {
        var request = await server.SubmitPendedAsync();
        var page = await server.SignInAsync("rita");
        await page.GetByRole(AriaRole.Link, new() { Name = request.ClaimIdentifier }).ClickAsync();
        await CaseDecisionForm.FillDenialOfFirstItemAsync(page, "0T", Note);

        // The reviewer comes back after the night: the session (8 hours) has ended.
        server.SessionClock.MoveAhead(TimeSpan.FromHours(9));
        await page.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in again", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Nothing was recorded");
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync(Note);
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Deny, reason 0T");
        await Accessibility.AssertNoViolationsAsync(page);
        await Screenshots.TakeAsync(page, "session-ended");
        Assert.Equal("A4", (await server.InquireAsync(request)).ActionOf(1));

        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in again and return to the request" }).ClickAsync();
        await page.GetByLabel("Username").FillAsync("rita");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(request.ClaimIdentifier);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Nothing has been recorded yet");
        var item = page.GetByRole(AriaRole.Group, new() { Name = "Item 1", Exact = true });
        await Assertions.Expect(item.GetByRole(AriaRole.Radio, new() { Name = "Deny" })).ToBeCheckedAsync();
        await Assertions.Expect(item.GetByLabel("Denial reason")).ToHaveValueAsync("0T");
        await Assertions.Expect(item.GetByLabel("Note")).ToHaveValueAsync(Note);
        await Accessibility.AssertNoViolationsAsync(page);
        await Screenshots.TakeAsync(page, "session-resumed");
        Assert.Equal("A4", (await server.InquireAsync(request)).ActionOf(1));

        // Recorded only now, by the reviewer pressing the button on the form with its new token.
        await page.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("A3");
        var inquiry = await server.InquireAsync(request);
        Assert.Equal("A3", inquiry.ActionOf(1));
        Assert.Contains("0T", inquiry.ReasonCodesOf(1));
        Assert.Contains("Rita Reviewer", inquiry.NotesOf(1), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Decision_PostedWithoutAnySessionOrToken_NothingRecordedEchoedOrKept()
    {
        var request = await server.SubmitPendedAsync();
        var caseId = (await server.InquireAsync(request)).ClaimResponse.Id;
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

        // What a forging site's auto-submitted form sends: no cookies (SameSite), no valid token.
        using var post = await client.PostAsync(new Uri($"{server.BaseUrl}/review/cases/{caseId}"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Items[0].Sequence"] = "1",
            ["Items[0].Action"] = "A3",
            ["Items[0].ReasonCode"] = "0M",
            ["Items[0].Note"] = "Planted by another site.",
        }));

        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        var body = await post.Content.ReadAsStringAsync();
        Assert.Contains("Nothing was recorded", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Planted", body, StringComparison.Ordinal);
        Assert.False(post.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".SpinePolicy.Review.Draft", StringComparison.Ordinal)));
        Assert.Equal("A4", (await server.InquireAsync(request)).ActionOf(1));
    }
}
