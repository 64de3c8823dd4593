using Microsoft.Playwright;

namespace SpinePolicy.TestKit.Browser;

/// <summary>
/// Screenshots the tests take for docs/ui.md. They go to the test output folder; with
/// SPINEPOLICY_UPDATE_SCREENSHOTS=1 they replace the committed ones in docs/ui/ (so that an ordinary
/// test run never leaves the work tree changed).
/// </summary>
public static class Screenshots
{
    /// <param name="fullPage">The whole scrolling page (a long form), not only the viewport.</param>
    public static async Task TakeAsync(IPage page, string name, bool fullPage = false)
    {
        var update = Environment.GetEnvironmentVariable("SPINEPOLICY_UPDATE_SCREENSHOTS") == "1";
        var folder = update ? Path.Combine(RepositoryPaths.Root, "docs", "ui") : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = fullPage, Scale = ScreenshotScale.Css });
    }
}
