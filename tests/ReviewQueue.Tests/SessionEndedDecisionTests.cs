using System.Net;
using Microsoft.Playwright;
using SpinePolicy.PriorAuthorization.Tests.Support;
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

    [Fact]
    public async Task Draft_RequestDecidedByAnotherReviewerMeanwhile_NotPutBackAndForgotten()
    {
        // Markup in the note: shown as text on the 401 page, never run (the pages allow no script either).
        const string Markup = "</textarea><script>document.title='x'</script><b id=\"planted\">P6</b>";
        var request = await server.SubmitPendedAsync();
        var caseId = (await server.InquireAsync(request)).ClaimResponse.Id;
        var (page, ended) = await DenyAfterTheSessionEndedAsync(request, Markup);

        Assert.Equal(401, ended.Status);
        var policy = await ended.HeaderValueAsync("content-security-policy") ?? string.Empty;
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
        Assert.Contains("no-store", await ended.HeaderValueAsync("cache-control") ?? string.Empty, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync(Markup);
        Assert.Equal(0, await page.Locator("script, #planted").CountAsync());
        Assert.True(await HoldsDraftAsync(page));

        // Another reviewer (the $review operation) decides the request before Rita is back.
        using (var reviewer = new HttpClient { BaseAddress = new Uri(server.BaseUrl) })
        {
            reviewer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ReviewerTokens.Mint());
            await PasHost.PostAsync(reviewer, $"/fhir/ClaimResponse/{caseId}/$review", SubscriptionRequests.Decision(1, "A1", "Approved on the phone with the surgeon."));
        }

        Assert.Equal("A1", (await server.InquireAsync(request)).ActionOf(1));

        await SignInAgainAsync(page);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(request.ClaimIdentifier);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("was not put back");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).Not.ToContainTextAsync("Nothing has been recorded yet");
        Assert.False(await HoldsDraftAsync(page));

        // What she typed is clinical text: it reached no log line.
        Assert.DoesNotContain(server.App.Logs.Entries, e => e.Message.Contains("planted", StringComparison.Ordinal) || (e.Exception?.Contains("planted", StringComparison.Ordinal) ?? false));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Draft_ReviewerSignsOut_NoDraftLeftInTheBrowser()
    {
        var request = await server.SubmitPendedAsync();
        var (page, _) = await DenyAfterTheSessionEndedAsync(request, Note);
        await SignInAgainAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Nothing has been recorded yet");

        // She leaves the workstation without recording it: the next user of the browser finds no draft.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/review/signed-out$"));
        Assert.False(await HoldsDraftAsync(page));
        Assert.Equal("A4", (await server.InquireAsync(request)).ActionOf(1));
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(9_000, true)]
    [InlineData(40_000, false)]
    public async Task Draft_LongNote_KeptWithinTheHeaderLimitOrShownToCopy(int length, bool keptThroughSignIn)
    {
        const string Phrase = "Radicular pain documented on re-examination. ";
        var note = string.Concat(Enumerable.Repeat(Phrase, (length / Phrase.Length) + 1))[..length];
        var request = await server.SubmitPendedAsync();
        var (page, ended) = await DenyAfterTheSessionEndedAsync(request, note);
        Assert.Equal(401, ended.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync(note[..200]);
        Assert.Equal(keptThroughSignIn, await HoldsDraftAsync(page));

        // Every cookie the browser now sends to /review fits the server's request-header limit: the
        // sign-in round trip and the case page answer, not 431 or 400.
        var back = await page.RunAndWaitForResponseAsync(
            () => SignInAgainAsync(page),
            r => r.Request.Method == "GET" && r.Url.Contains("/review/cases/", StringComparison.Ordinal) && r.Status != 302);
        Assert.Equal(200, back.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(request.ClaimIdentifier);
        var item = page.GetByRole(AriaRole.Group, new() { Name = "Item 1", Exact = true });
        await Assertions.Expect(item.GetByLabel("Note")).ToHaveValueAsync(keptThroughSignIn ? note : string.Empty);
        await page.Context.CloseAsync();
    }

    /// <summary>Rita opens the request, chooses Deny (0T) with this note, and presses the button after her session ended.</summary>
    private async Task<(IPage Page, IResponse Ended)> DenyAfterTheSessionEndedAsync(PasRequestBuilder request, string note)
    {
        var page = await server.SignInAsync("rita");
        await page.GetByRole(AriaRole.Link, new() { Name = request.ClaimIdentifier }).ClickAsync();
        await CaseDecisionForm.FillDenialOfFirstItemAsync(page, "0T", note);
        server.SessionClock.MoveAhead(TimeSpan.FromHours(9));
        var ended = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync(),
            r => r.Request.Method == "POST");
        return (page, ended);
    }

    /// <summary>The 401 page's link, and Rita signing in at the identity provider.</summary>
    private static async Task SignInAgainAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in again and return to the request" }).ClickAsync();
        await page.GetByLabel("Username").FillAsync("rita");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    private static async Task<bool> HoldsDraftAsync(IPage page) =>
        (await page.Context.CookiesAsync()).Any(c => c.Name.StartsWith(".SpinePolicy.Review.Draft", StringComparison.Ordinal));
}
