using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace SpinePolicy.ReviewQueue.Tests.Support;

/// <summary>The case page's decision form as a reviewer uses it, by role and accessible name.</summary>
internal static partial class CaseDecisionForm
{
    /// <summary>Approves Item 1 with a note, records the decision, and returns the authorization number the status region shows with A1.</summary>
    public static async Task<string> ApproveFirstItemAsync(IPage page, string note)
    {
        var item = page.GetByRole(AriaRole.Group, new() { Name = "Item 1", Exact = true });
        await item.GetByRole(AriaRole.Radio, new() { Name = "Approve" }).CheckAsync();
        await item.GetByLabel("Note").FillAsync(note);
        await page.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync();

        var status = page.GetByRole(AriaRole.Status);
        await Assertions.Expect(status).ToContainTextAsync("A1");
        return AuthorizationNumber().Match(await status.InnerTextAsync()).Value;
    }

    /// <summary>Chooses Deny for Item 1 with this reason and note, without recording it yet.</summary>
    public static async Task FillDenialOfFirstItemAsync(IPage page, string reasonCode, string note)
    {
        var item = page.GetByRole(AriaRole.Group, new() { Name = "Item 1", Exact = true });
        await item.GetByRole(AriaRole.Radio, new() { Name = "Deny" }).CheckAsync();
        await item.GetByLabel("Denial reason").SelectOptionAsync(reasonCode);
        await item.GetByLabel("Note").FillAsync(note);
    }

    [GeneratedRegex(@"SP097-\d{8}-[0-9A-F]{10}")]
    private static partial Regex AuthorizationNumber();
}
