using System.Net;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.Fhir;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.ReviewQueue.Tests;

/// <summary>
/// Two instances on one database behind a load balancer, deployed to different folders (as a
/// blue/green or rolling deploy leaves them): the review form one instance served, with its
/// antiforgery token and cookie, is accepted by the other, which records the decision. Data
/// Protection keys are the database's, and the application is named, not told apart by its folder.
/// </summary>
public sealed partial class ReviewFormAcrossInstancesTests : IDisposable
{
    private readonly string _otherFolder = Path.Combine(Path.GetTempPath(), "spinepolicy-tests", $"deploy-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_otherFolder))
        {
            Directory.Delete(_otherFolder);
        }
    }

    [Fact]
    public async Task DecisionForm_ServedByOneInstancePostedToTheOther_DecisionRecorded()
    {
        await using var blue = new SpinePolicyApp();
        await using var blueDevelopment = blue.WithWebHostBuilder(builder => builder.UseEnvironment("Development"));
        using var blueClient = blueDevelopment.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        // The same release in another folder: a link to the content root the first one uses.
        Directory.CreateSymbolicLink(_otherFolder, blueDevelopment.Services.GetRequiredService<IWebHostEnvironment>().ContentRootPath);
        await using var green = new SpinePolicyApp(new Dictionary<string, string?> { ["Storage:Sqlite:Path"] = blue.DatabasePath });
        await using var greenDevelopment = green.WithWebHostBuilder(builder => builder.UseEnvironment("Development").UseContentRoot(_otherFolder));
        using var greenClient = greenDevelopment.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        Assert.NotEqual(
            blueDevelopment.Services.GetRequiredService<IWebHostEnvironment>().ContentRootPath,
            greenDevelopment.Services.GetRequiredService<IWebHostEnvironment>().ContentRootPath);

        var request = new PasRequestBuilder()
            .Line("64628")
            .WithAnswers(Answers.AllMet("bvna").Set("bvna-failed-conservative-care-6-months", false)
                .ToResponse(blueDevelopment.Services.GetRequiredService<Policy>(), blueDevelopment.Services.GetRequiredService<IQuestionnaireCatalog>()));
        var submitted = await PasHost.PostAsync(blueClient, "/fhir/Claim/$submit", request.Build());
        Assert.Equal("A4", submitted.ActionOf(1));
        var casePath = new Uri($"/review/cases/{submitted.ClaimResponse.Id}", UriKind.Relative);

        using var page = await blueClient.GetAsync(casePath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var token = TokenField().Match(await page.Content.ReadAsStringAsync()).Groups["token"].Value;
        Assert.NotEmpty(token);
        var antiforgeryCookie = Assert.Single(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".SpinePolicy.Review.Antiforgery=", StringComparison.Ordinal));

        using var post = new HttpRequestMessage(HttpMethod.Post, casePath)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["Items[0].Sequence"] = "1",
                ["Items[0].Action"] = "A1",
                ["Items[0].Note"] = "Conservative care documented on review.",
            }),
        };
        post.Headers.Add("Cookie", antiforgeryCookie.Split(';')[0]);
        using var decided = await greenClient.SendAsync(post);

        // Recorded, then sent to the case page by a redirect (Post/Redirect/Get: a reload never posts it again).
        Assert.Equal(HttpStatusCode.SeeOther, decided.StatusCode);
        Assert.Equal($"{casePath}?recorded=1", decided.Headers.Location?.OriginalString);
        using var current = await blueClient.GetAsync(new Uri($"/fhir/ClaimResponse/{submitted.ClaimResponse.Id}", UriKind.Relative));
        var response = FhirJson.Parse<ClaimResponse>(await current.Content.ReadAsStringAsync());
        Assert.Equal(ReviewAction.Certified, ClaimResponseItems.ActionOf(response.Item[0]));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenField();
}
