using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using SpinePolicy.TestKit;

namespace SpinePolicy.DtrApp.Tests.Browser;

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

    public async Task<string> ClickAndWaitForOutcomeAsync(string button, string expected)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
        await Assertions.Expect(Outcome).ToContainTextAsync(expected, new() { Timeout = (float)Patience.TotalMilliseconds });
        return await Outcome.InnerTextAsync();
    }

    /// <summary>Serious and critical axe violations on the page as it is now (none expected).</summary>
    public async Task<IReadOnlyList<string>> SeriousAccessibilityViolationsAsync()
    {
        var result = await Page.RunAxe();
        return result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join("; ", v.Nodes.Take(3).Select(n => n.Html))}")
            .ToList();
    }

    /// <summary>Saves a screenshot for docs/ui.md (SPINEPOLICY_WRITE_SCREENSHOTS=1 writes into docs/ui/, else a temp folder).</summary>
    public async Task ScreenshotAsync(string name)
    {
        var folder = Environment.GetEnvironmentVariable("SPINEPOLICY_WRITE_SCREENSHOTS") == "1"
            ? Path.Combine(RepositoryPaths.Root, "docs", "ui")
            : Path.Combine(Path.GetTempPath(), "spinepolicy-screenshots");
        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}.png"), FullPage = true, Timeout = (float)Patience.TotalMilliseconds });
    }

    private static List<string> Track(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return errors;
    }
}
