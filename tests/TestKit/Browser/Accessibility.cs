using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit;

namespace SpinePolicy.TestKit.Browser;

/// <summary>axe-core on the page as it stands: no serious or critical violation.</summary>
public static class Accessibility
{
    public static async Task AssertNoSeriousViolationsAsync(IPage page)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"axe found on {page.Url}:{Environment.NewLine}" + string.Join(Environment.NewLine, serious.Select(v => $"{v.Impact} {v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => string.Join(" ", n.Target)))})")));
    }
}
