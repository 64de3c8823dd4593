using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit;

namespace SpinePolicy.TestKit.Browser;

/// <summary>
/// axe-core on the page as it stands, with axe's default rule set (WCAG and best-practice rules
/// alike, as an independent audit runs it): any violation fails, whatever its impact.
/// </summary>
public static class Accessibility
{
    public static async Task AssertNoViolationsAsync(IPage page)
    {
        // The form renderer fades content in; mid-transition it has partial opacity, which axe would
        // judge as low contrast. Judge the page at rest: wait for every finite animation to end.
        await page.EvaluateAsync(
            "() => Promise.all(document.getAnimations()" +
            ".filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)" +
            ".map(a => a.finished.catch(() => undefined)))");
        var result = await page.RunAxe();
        Assert.True(result.Violations.Length == 0, $"axe found on {page.Url}:{Environment.NewLine}" + string.Join(Environment.NewLine, result.Violations.Select(Describe)));
    }

    // Rule, impact and every offending element with its markup, so a failure can be fixed from the log alone.
    private static string Describe(Deque.AxeCore.Commons.AxeResultItem violation) =>
        $"{violation.Impact} {violation.Id}: {violation.Help}{Environment.NewLine}" + string.Join(Environment.NewLine, violation.Nodes.Select(n =>
            $"    {string.Join(" ", n.Target)} — {Shorten(n.Html)}"));

    private static string Shorten(string? html) => html is null ? string.Empty : html.Length > 300 ? html[..300] + "…" : html;
}
