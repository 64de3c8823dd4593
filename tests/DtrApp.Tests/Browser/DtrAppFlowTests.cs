using Microsoft.Playwright;
using SpinePolicy.TestKit.Browser;
using SpinePolicy.TestKit.Ehr;

namespace SpinePolicy.DtrApp.Tests.Browser;

/// <summary>
/// The DTR app as a clinician uses it, in Chromium: the EHR launches it for a signed BVNA order,
/// the form pre-fills from the EHR's record (CQL) and the payer's draft, the clinician completes
/// it, saves it to the EHR, submits the prior authorization and reads the decision.
/// </summary>
[Trait("Category", "Browser")]
public sealed class DtrAppFlowTests(DtrBrowserFixture fixture) : IClassFixture<DtrBrowserFixture>
{
    private const string InformationOrigin = "http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/information-origin";

    [Fact]
    [Trait("Clause", "P6")]
    public async Task EhrLaunch_ApprovableBvna_PrefillsFromRecordSavesToEhrAndIsApproved()
    {
        var app = new DtrPageDriver(await fixture.LaunchAsync(EhrRecords.ApprovedPatient, Order(EhrRecords.ApprovedPatient), Coverage(EhrRecords.ApprovedPatient)));
        await app.WaitForFormAsync();

        // Pre-filled: the BMI from the EHR's observation (CQL), the age from the payer's draft.
        await Assertions.Expect(app.Prefilled("From the patient's EHR record")).ToContainTextAsync("Body mass index (kg/m2): 27.4");
        await Assertions.Expect(app.Prefilled("Draft answers from SpinePolicy Health Plan")).ToContainTextAsync("Member's age in years");
        await Assertions.Expect(app.Page.GetByRole(AriaRole.Textbox, new() { Name = "Body mass index" })).ToHaveValueAsync("27.4");
        await Accessibility.AssertNoViolationsAsync(app.Page);
        await app.ScreenshotAsync("dtr-prefilled");

        // One level-1 heading, the page's own (the questionnaire's title); the renderer's group
        // headings sit under it. axe's default rules allow several h1s, so this says it directly.
        var levels = await app.HeadingLevelsAsync();
        Assert.Equal(1, levels.Count(level => level == 1));
        Assert.Equal(1, levels[0]);
        Assert.All(levels.Zip(levels.Skip(1)), pair => Assert.True(pair.Second <= pair.First + 1, $"heading levels jump: {string.Join(",", levels)}"));

        // The renderer's choice list open: its popup has to sit inside the page's main landmark too.
        var choices = await app.OpenChoicesAsync("Vertebral levels to be treated");
        await Assertions.Expect(choices.GetByRole(AriaRole.Option, new() { Name = "Lumbar vertebra L4" })).ToBeVisibleAsync();
        await Assertions.Expect(app.Page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Listbox)).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(app.Page);
        await app.Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(choices).ToBeHiddenAsync();

        await app.CompleteBvnaAsync(priorLumbarSurgery: "No");
        await app.ClickAndWaitForOutcomeAsync("Save to EHR", "Saved to the EHR");
        var saved = Assert.Single(fixture.Ehr.SavedResponses, r => r.Subject?.Reference == $"Patient/{EhrRecords.ApprovedPatient}");
        Assert.Equal("auto", OriginOf(saved, "bvna-bmi"));
        Assert.Equal("manual", OriginOf(saved, "bvna-chronic-low-back-pain-6-months"));

        // The FHIR API needs a token: the app signed the clinician in to the payer as well.
        var outcome = await app.ClickAndWaitForOutcomeAsync("Submit prior authorization", "Approved (A1)");
        Assert.Matches(@"Authorization number \S+", outcome);
        Assert.Contains(fixture.PayerSignIn.GrantedScopes, scope => scope.Split(' ').Contains("user/Claim.c"));
        await Accessibility.AssertNoViolationsAsync(app.Page);
        await app.ScreenshotAsync("dtr-approved");
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    [Trait("Clause", "P7")]
    public async Task EhrLaunch_LumbarSurgeryOnRecord_PrefilledFromRecordAndDeniedWithReason()
    {
        var app = new DtrPageDriver(await fixture.LaunchAsync(EhrRecords.SurgeryPatient, Order(EhrRecords.SurgeryPatient), Coverage(EhrRecords.SurgeryPatient)));
        await app.WaitForFormAsync();

        // P7.2: the completed laminotomy in the record answers "Previous lumbar spine surgery".
        await Assertions.Expect(app.Prefilled("From the patient's EHR record")).ToContainTextAsync("Previous lumbar spine surgery: Yes");
        await app.CompleteBvnaAsync(priorLumbarSurgery: null);

        var outcome = await app.ClickAndWaitForOutcomeAsync("Submit prior authorization", "Denied (A3)");
        Assert.Contains("Reason:", outcome, StringComparison.Ordinal);
        await app.ScreenshotAsync("dtr-denied");
    }

    [Fact]
    public async Task PayerSignIn_UserTheProviderPortalNamesNoClinicFor_IsToldThePayerRefused()
    {
        var organization = fixture.PayerSignIn.UserOrganization.ToList();
        fixture.PayerSignIn.UserOrganization.Clear();
        try
        {
            var page = await fixture.LaunchAsync(EhrRecords.ApprovedPatient, Order(EhrRecords.ApprovedPatient), Coverage(EhrRecords.ApprovedPatient));

            // Signed in, but acting for no clinic: the payer serves it nothing, and the page says so.
            var alert = page.GetByRole(AriaRole.Alert);
            await Assertions.Expect(alert).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await Assertions.Expect(alert).ToContainTextAsync("scope");
        }
        finally
        {
            fixture.PayerSignIn.UserOrganization.AddRange(organization);
        }
    }

    [Fact]
    [Trait("Clause", "P6")]
    public async Task StandaloneLaunch_PatientWithTwoOpenOrders_ClinicianPicksTheBvnaOrderAndIsApproved()
    {
        // A member of this test alone, with a BVNA order and an epidural order open in the EHR.
        const string member = "pat-standalone";
        fixture.Ehr.Put(EhrRecords.Member(member, "Riley", "Quinn", "1972-09-30", bmi: 26.1m, lumbarSurgery: false));
        fixture.Ehr.Put([new Hl7.Fhir.Model.ServiceRequest
        {
            Id = $"{member}-esi",
            Status = Hl7.Fhir.Model.RequestStatus.Active,
            Intent = Hl7.Fhir.Model.RequestIntent.Order,
            Code = new Hl7.Fhir.Model.CodeableConcept(EhrRecords.Cpt, "62323", "Injection, lumbar epidural, with imaging guidance"),
            Subject = new Hl7.Fhir.Model.ResourceReference($"Patient/{member}"),
            Requester = new Hl7.Fhir.Model.ResourceReference("PractitionerRole/dr-osei-at-clinic"),
        }]);
        fixture.Ehr.PatientId = member;
        fixture.Ehr.FhirContext.Clear();
        var app = new DtrPageDriver(await fixture.Chromium.NewPageAsync(1280, 900));

        // Standalone: the clinician opens the app and names the EHR; the EHR picks the patient.
        await app.Page.GotoAsync(new Uri(fixture.ServerBase, "/dtr/launch").ToString());
        await app.Page.GetByLabel("Your EHR's FHIR server address").FillAsync(fixture.Ehr.FhirBase);
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in with your EHR" }).ClickAsync();

        var choices = app.Page.GetByRole(AriaRole.Region, new() { Name = "Which order is this documentation for?" });
        await Assertions.Expect(choices.GetByRole(AriaRole.Button)).ToHaveCountAsync(2, new() { Timeout = 60_000 });
        await Accessibility.AssertNoViolationsAsync(app.Page);
        await choices.GetByRole(AriaRole.Button, new() { Name = "(64628)" }).ClickAsync();

        await app.WaitForFormAsync();
        await app.CompleteBvnaAsync(priorLumbarSurgery: "No");
        var outcome = await app.ClickAndWaitForOutcomeAsync("Submit prior authorization", "Approved (A1)");
        Assert.Matches(@"Authorization number \S+", outcome);
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    [Trait("Clause", "P6")]
    public async Task EhrLaunch_SubmitWithQuestionsOpenThenTwice_NothingSentUntilAnsweredAndOneRequestOnly()
    {
        // A member of this test alone: a second request for the same level would be judged
        // against the first (P7.16), so a duplicate would even change what the clinician reads.
        const string member = "pat-one-request";
        fixture.Ehr.Put(EhrRecords.Member(member, "Jordan", "Ellis", "1968-05-12", bmi: 27.0m, lumbarSurgery: false));
        var app = new DtrPageDriver(await fixture.LaunchAsync(member, Order(member), Coverage(member)));
        var submits = new List<string>();
        app.Page.Request += (_, request) =>
        {
            if (request.Url.Contains("/fhir/Claim/$submit", StringComparison.Ordinal))
            {
                submits.Add(request.Url);
            }
        };
        await app.WaitForFormAsync();
        var submit = app.Page.GetByRole(AriaRole.Button, new() { Name = "Submit prior authorization" });

        // Questions still open: nothing goes to the payer (it would only pend for missing
        // information); the page names the questions in words and takes the focus there.
        await submit.ClickAsync();
        var open = app.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Not submitted" });
        await Assertions.Expect(open).ToContainTextAsync("Chronic low back pain for at least 6 months");
        await Assertions.Expect(open).Not.ToContainTextAsync("bvna-");
        await Assertions.Expect(open).ToBeFocusedAsync();
        await Accessibility.AssertNoViolationsAsync(app.Page);
        Assert.Empty(submits);

        // Answered: one request, the decision takes the focus, and the button cannot send another.
        await app.CompleteBvnaAsync(priorLumbarSurgery: "No");
        await app.ClickAndWaitForOutcomeAsync("Submit prior authorization", "Approved (A1)");
        await Assertions.Expect(app.Outcome).ToBeFocusedAsync();
        await Assertions.Expect(open).ToHaveCountAsync(0);
        await Assertions.Expect(submit).ToBeDisabledAsync();
        await submit.ClickAsync(new() { Force = true });
        await app.Page.WaitForTimeoutAsync(1000);
        await Assertions.Expect(app.Outcome).ToContainTextAsync("Approved (A1)");
        Assert.Single(submits);
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    [Trait("Clause", "P6")]
    public async Task EhrLaunch_SubmitWithQuestionsOpen_AlertComesBeforeTheFormAndItsLinksTakeTheKeyboardToEachQuestion()
    {
        const string member = "pat-open-links";
        fixture.Ehr.Put(EhrRecords.Member(member, "Robin", "Hale", "1971-09-03", bmi: 26.0m, lumbarSurgery: false));
        var app = new DtrPageDriver(await fixture.LaunchAsync(member, Order(member), Coverage(member)));
        await app.WaitForFormAsync();

        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Submit prior authorization" }).ClickAsync();
        var open = app.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Not submitted" });
        await Assertions.Expect(open).ToBeFocusedAsync();

        // Where the focus lands, before the form: a keyboard user need not come back through it.
        var form = app.Page.GetByRole(AriaRole.Region, new() { Name = "Questionnaire" });
        Assert.True(
            await open.EvaluateAsync<bool>("(alert, form) => (alert.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0", await form.ElementHandleAsync()),
            "the open questions come after the form");

        // Each open question is a link; the first, followed with the keyboard, focuses that question's control.
        var links = open.GetByRole(AriaRole.Link);
        await Assertions.Expect(links.First).ToHaveTextAsync("Chronic low back pain for at least 6 months");
        await app.Page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(links.First).ToBeFocusedAsync();
        await Accessibility.AssertNoViolationsAsync(app.Page);
        await app.Page.Keyboard.PressAsync("Enter");
        var question = app.Page.GetByRole(AriaRole.Radiogroup, new() { Name = "Chronic low back pain for at least 6 months" });
        await Assertions.Expect(question.Locator("*:focus")).ToHaveCountAsync(1);

        // From there the keyboard answers it: Space checks the focused radio button.
        await app.Page.Keyboard.PressAsync("Space");
        await Assertions.Expect(question.GetByRole(AriaRole.Radio).First).ToBeCheckedAsync();
        await Accessibility.AssertNoViolationsAsync(app.Page);
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    [Trait("Clause", "P6")]
    public async Task EhrLaunch_NetworkDropsOnSubmit_ToldInWordsAndTheRetrySendsTheSameRequest()
    {
        const string member = "pat-network-drop";
        fixture.Ehr.Put(EhrRecords.Member(member, "Casey", "Morgan", "1970-11-02", bmi: 25.5m, lumbarSurgery: false));
        var app = new DtrPageDriver(await fixture.LaunchAsync(member, Order(member), Coverage(member)));
        var bodies = new List<string>();
        var dropped = false;
        await app.Page.RouteAsync("**/fhir/Claim/$submit", async route =>
        {
            bodies.Add(route.Request.PostData ?? string.Empty);
            if (!dropped)
            {
                dropped = true;
                await route.AbortAsync("connectionreset");
                return;
            }

            await route.ContinueAsync();
        });
        await app.WaitForFormAsync();
        await app.CompleteBvnaAsync(priorLumbarSurgery: "No");

        await app.ClickAndWaitForOutcomeAsync("Submit prior authorization", "could not be reached");
        await Assertions.Expect(app.Outcome).Not.ToContainTextAsync("Failed to fetch");
        await Assertions.Expect(app.Outcome).ToBeFocusedAsync();

        // The payer may have recorded a request whose answer was lost: the retry is the same Bundle
        // (same identifier), which the payer answers once, never a second request.
        await app.ClickAndWaitForOutcomeAsync("Submit prior authorization", "Approved (A1)");
        Assert.Equal(2, bodies.Count);
        Assert.Equal(BundleIdentifier(bodies[0]), BundleIdentifier(bodies[1]));
        app.ConsoleErrors.RemoveAll(e => e.Contains("ERR_CONNECTION_RESET", StringComparison.Ordinal));
        Assert.Empty(app.ConsoleErrors);
    }

    [Theory]
    [InlineData(320, 640)] // WCAG 1.4.10: a 320 CSS px wide screen
    [InlineData(640, 450)] // a 1280 px wide window at 200 % zoom
    public async Task EhrLaunch_SavedThenSubmitted_OutcomeWrapsAndThePageNeverScrollsSideways(int width, int height)
    {
        var member = $"pat-reflow-{width}";
        fixture.Ehr.Put(EhrRecords.Member(member, "Robin", "Hale", "1966-03-09", bmi: 26.0m, lumbarSurgery: false));
        var app = new DtrPageDriver(await fixture.LaunchAsync(member, Order(member), Coverage(member)));
        await app.WaitForFormAsync();
        await app.CompleteBvnaAsync(priorLumbarSurgery: "No");

        // The confirmation names the saved QuestionnaireResponse by its id, one long word.
        await app.ClickAndWaitForOutcomeAsync("Save to EHR", "Saved to the EHR");
        await app.Page.SetViewportSizeAsync(width, height);
        await AssertNoSidewaysScrollAsync(app.Page, "saved");
        await Accessibility.AssertNoViolationsAsync(app.Page);

        await app.ClickAndWaitForOutcomeAsync("Submit prior authorization", "Approved (A1)");
        await AssertNoSidewaysScrollAsync(app.Page, "submitted");
        var outcome = await app.Outcome.BoundingBoxAsync();
        Assert.True(outcome is { } box && box.X >= 0 && box.X + box.Width <= width, $"the outcome is cut off at {width} px");
        Assert.Empty(app.ConsoleErrors);
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page, string state)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"the {state} form scrolls sideways at {widths[1]} px: its content is {widths[0]} px wide");
    }

    private static string? BundleIdentifier(string bundleJson) =>
        System.Text.Json.JsonDocument.Parse(bundleJson).RootElement.GetProperty("identifier").GetProperty("value").GetString();

    [Theory]
    [InlineData("iss=https%3A%2F%2Fevil.test.example%2Ffhir&launch=abc")]
    [InlineData("clientId=attackers-app")]
    public async Task Launch_Refused_ShownInTheLaunchPagesStyleAndUsableAt320Px(string query)
    {
        var page = await fixture.Chromium.NewPageAsync(320, 640);
        var app = new DtrPageDriver(page);

        var response = await page.GotoAsync(new Uri(fixture.ServerBase, "/dtr/launch?" + query).ToString());

        Assert.Equal(400, response!.Status);
        await Assertions.Expect(page).ToHaveTitleAsync("Cannot sign in · SpinePolicy DTR");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("will not sign in");
        // The launch page's layout: its address field spans the column, the heading in the app's type.
        var field = page.GetByLabel("Your EHR's FHIR server address");
        var box = await field.BoundingBoxAsync();
        Assert.True(box is { } b && b.Width >= 240 && b.X + b.Width <= 320, $"the address field is {box?.Width} px wide at 320 px (the launch page's is the column's width)");
        Assert.Contains("Inter", await page.EvaluateAsync<string>("() => getComputedStyle(document.documentElement).fontFamily"), StringComparison.Ordinal);
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"the refusal page scrolls sideways at 320 px: {widths[0]} px wide");
        await Accessibility.AssertNoViolationsAsync(page);
        app.ConsoleErrors.RemoveAll(e => e.Contains("400 (Bad Request)", StringComparison.Ordinal));
        Assert.Empty(app.ConsoleErrors);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task FormPage_ScriptFailsToLoad_SaysSoInsteadOfABlankPage()
    {
        var page = await fixture.Chromium.NewPageAsync(375, 740);
        await page.RouteAsync("**/dtr/assets/app.js", route => route.AbortAsync());

        await page.GotoAsync(new Uri(fixture.ServerBase, "/dtr/").ToString());

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Prior authorization documentation");
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("its script did not load");
        await Accessibility.AssertNoViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    private static object Order(string patient) => new { reference = $"ServiceRequest/{patient}-bvna" };

    private static object Coverage(string patient) => new { reference = $"Coverage/{patient}-coverage" };

    private static string? OriginOf(Hl7.Fhir.Model.QuestionnaireResponse response, string linkId)
    {
        var item = Flatten(response.Item).FirstOrDefault(i => i.LinkId == linkId);
        var origin = item?.Answer.FirstOrDefault()?.Extension.FirstOrDefault(e => e.Url == InformationOrigin);
        return (origin?.Extension.FirstOrDefault(e => e.Url == "source")?.Value as Hl7.Fhir.Model.Code)?.Value;
    }

    private static IEnumerable<Hl7.Fhir.Model.QuestionnaireResponse.ItemComponent> Flatten(IEnumerable<Hl7.Fhir.Model.QuestionnaireResponse.ItemComponent> items) =>
        items.SelectMany(i => new[] { i }.Concat(Flatten(i.Item)));
}
