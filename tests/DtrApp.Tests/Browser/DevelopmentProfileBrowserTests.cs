using Hl7.Fhir.Model;
using Microsoft.Playwright;
using SpinePolicy.Fhir;
using SpinePolicy.TestKit.Browser;
using SpinePolicy.TestKit.Ehr;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.DtrApp.Tests.Browser;

/// <summary>
/// What a developer sees after `dotnet run`: the FHIR API without tokens and the demo reviewer.
/// Nothing in the pages may assume a payer token: the DTR app submits, and the queue lists what it
/// submitted.
/// </summary>
[Trait("Category", "Browser")]
public sealed class DevelopmentProfileBrowserTests(DevelopmentProfileFixture fixture) : IClassFixture<DevelopmentProfileFixture>
{
    [Fact]
    [Trait("Clause", "P6")]
    public async Task DotnetRunProfile_DtrSubmitPended_QueueListsItUnderTheDevelopmentSignIn()
    {
        var patient = EhrRecords.ApprovedPatient;
        var app = new DtrPageDriver(await fixture.LaunchAsync(patient, new { reference = $"ServiceRequest/{patient}-bvna" }, new { reference = $"Coverage/{patient}-coverage" }));
        await app.WaitForFormAsync();
        await app.CompleteBvnaAsync(priorLumbarSurgery: "No", failedConservativeCare: "No");

        var submit = await app.Page.RunAndWaitForRequestAsync(
            () => app.ClickAndWaitForOutcomeAsync("Submit prior authorization", "Pended for clinical review (A4)"),
            r => r.Method == "POST" && new Uri(r.Url).AbsolutePath == "/fhir/Claim/$submit");

        Assert.Null(await submit.HeaderValueAsync("authorization"));
        Assert.Empty(app.ConsoleErrors);
        var claim = (Claim)FhirJson.Parse<Bundle>(submit.PostData!).Entry[0].Resource!;
        var queue = await app.Page.Context.NewPageAsync();
        await queue.GotoAsync(new Uri(fixture.ServerBase, "/review/").ToString());
        await Assertions.Expect(queue.GetByRole(AriaRole.Region, new() { Name = "Development sign-in" })).ToContainTextAsync("demo reviewer");
        var row = queue.GetByRole(AriaRole.Table, new() { Name = "Pended requests" }).GetByRole(AriaRole.Row).Filter(new() { HasText = Assert.Single(claim.Identifier).Value });
        await Assertions.Expect(row).ToContainTextAsync("Morgan Reyes");
        await Assertions.Expect(row).ToContainTextAsync("P6");
        await Accessibility.AssertNoViolationsAsync(queue);
        await app.Page.Context.CloseAsync();
    }
}
