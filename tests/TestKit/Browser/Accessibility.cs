using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit;

namespace SpinePolicy.TestKit.Browser;

/// <summary>axe-core on the page as it stands: no serious or critical violation.</summary>
public static class Accessibility
{
    public static async Task AssertNoSeriousViolationsAsync(IPage page)
    {
        // The form renderer fades content in; mid-transition it has partial opacity, which axe would
        // judge as low contrast. Judge the page at rest: wait for every finite animation to end.
        await page.EvaluateAsync(
            "() => Promise.all(document.getAnimations()" +
            ".filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)" +
            ".map(a => a.finished.catch(() => undefined)))");
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"axe found on {page.Url}:{Environment.NewLine}" + string.Join(Environment.NewLine, serious.Select(v => $"{v.Impact} {v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => string.Join(" ", n.Target)))})")));
    }
}
