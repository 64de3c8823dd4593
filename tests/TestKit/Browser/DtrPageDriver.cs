using Microsoft.Playwright;

namespace SpinePolicy.TestKit.Browser;

/// <summary>What a clinician does on the app's page, in the words the page shows.</summary>
public sealed class DtrPageDriver(IPage page)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public IPage Page { get; } = page;

    public List<string> ConsoleErrors { get; } = Track(page);

    public ILocator Outcome => Page.GetByTestId("outcome");

    public ILocator Prefilled(string source) => Page.GetByRole(AriaRole.List, new() { Name = source });

    public async Task WaitForFormAsync() =>
        await Page.GetByRole(AriaRole.Button, new() { Name = "Submit prior authorization" }).WaitForAsync(new() { Timeout = (float)Patience.TotalMilliseconds });

    public async Task AnswerAsync(string question, string answer) =>
        await Page.GetByRole(AriaRole.Radiogroup, new() { Name = question }).GetByRole(AriaRole.Radio, new() { Name = answer, Exact = true }).CheckAsync();

    public async Task ChooseAsync(string question, string option)
    {
        var box = Page.GetByRole(AriaRole.Combobox, new() { Name = question }).First;
        await box.ClickAsync();
        await box.FillAsync(option);
        await Page.GetByRole(AriaRole.Option, new() { Name = option }).First.ClickAsync();
    }

    /// <summary>
    /// The level of every heading in the main landmark, in document order, as assistive technology
    /// reads it: aria-level where the element carries one, else the number in its tag.
    /// </summary>
    public async Task<IReadOnlyList<int>> HeadingLevelsAsync() =>
        await Page.EvaluateAsync<int[]>(
            "() => [...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6, main [role=heading]')]" +
            ".map(h => Number(h.getAttribute('aria-level') || h.tagName.substring(1)))");

    /// <summary>Opens a choice question's list of answers, as a click on its box does; returns that list.</summary>
    public async Task<ILocator> OpenChoicesAsync(string question)
    {
        var box = Page.GetByRole(AriaRole.Combobox, new() { Name = question }).First;
        await box.ClickAsync();
        var list = Page.GetByRole(AriaRole.Listbox);
        await list.WaitForAsync();
        return list;
    }

    /// <summary>
    /// Answers the BVNA form as the clinician would for a candidate: every criterion met and no
    /// exclusion, one level (L4). <paramref name="failedConservativeCare"/> "No" leaves P6 unmet,
    /// which the engine pends for clinical review (A4); a null <paramref name="priorLumbarSurgery"/>
    /// keeps what the form pre-filled.
    /// </summary>
    public async Task CompleteBvnaAsync(string? priorLumbarSurgery, string failedConservativeCare = "Yes")
    {
        await AnswerAsync("Chronic low back pain for at least 6 months", "Yes");
        await AnswerAsync("At least 6 months of conservative care have failed", failedConservativeCare);
        await AnswerAsync("MRI shows Modic type 1 or type 2 endplate changes", "Yes");
        foreach (var exclusion in new[]
        {
            "Radicular pain", "Symptomatic spinal stenosis", "Spine infection or other active systemic infection",
            "Osteoporosis, metabolic bone disease", "Vertebral fracture within the past year", "Malignancy of the spine",
            "Spondylolisthesis is present", "Spondylolysis at any level", "Severe cardiac or pulmonary disease",
            "Poorly controlled major psychiatric disease", "Bedbound, or a neurologic condition",
        })
        {
            await AnswerAsync(exclusion, "No");
        }

        if (priorLumbarSurgery is not null)
        {
            await AnswerAsync("Previous lumbar spine surgery", priorLumbarSurgery);
        }

        await ChooseAsync("Vertebral levels to be treated", "Lumbar vertebra L4");
        await AnswerAsync("The member has had BVNA before", "No");
    }

    public async Task<string> ClickAndWaitForOutcomeAsync(string button, string expected)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
        await Assertions.Expect(Outcome).ToContainTextAsync(expected, new() { Timeout = (float)Patience.TotalMilliseconds });
        return await Outcome.InnerTextAsync();
    }

    /// <summary>The whole form as it stands, for docs/ui.md (see <see cref="Screenshots"/>).</summary>
    public Task ScreenshotAsync(string name) => Screenshots.TakeAsync(Page, name, fullPage: true);

    private static List<string> Track(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            // Chromium's own probe for /favicon.ico (the pages name no icon) is the browser's, not
            // the app's; whether it is logged before the test looks depends on timing.
            if (message.Type == "error" && !message.Location.Contains("/favicon.ico:", StringComparison.Ordinal))
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return errors;
    }
}
