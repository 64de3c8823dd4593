using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit;

namespace SpinePolicy.ReviewQueue.Tests;

/// <summary>
/// Without an identity provider: the Development profile signs the demo reviewer in under a
/// banner (so "dotnet run" shows the queue at once); any other environment refuses to open the queue.
/// </summary>
public sealed class DevelopmentSignInTests
{
    [Fact]
    public async Task Queue_DevelopmentWithoutIdentityProvider_DemoReviewerUnderABannerAndOverdueRowsMarked()
    {
        // A standard request is due after one second here, so the row is overdue when listed.
        await using var app = new SpinePolicyApp(new Dictionary<string, string?> { ["Pas:DecisionDeadlines:Standard"] = "00:00:01" });
        await using var development = app.WithWebHostBuilder(builder => builder.UseEnvironment("Development"));
        using var client = development.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var request = new PasRequestBuilder()
            .Line("64628")
            .WithAnswers(Answers.AllMet("bvna").Set("bvna-failed-conservative-care-6-months", false)
                .ToResponse(development.Services.GetRequiredService<Policy>(), development.Services.GetRequiredService<IQuestionnaireCatalog>()));
        Assert.Equal("A4", (await PasHost.PostAsync(client, "/fhir/Claim/$submit", request.Build())).ActionOf(1));
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        using var response = await client.GetAsync(new Uri("/review/", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Development sign-in", html, StringComparison.Ordinal);
        Assert.Contains("Demo Reviewer", html, StringComparison.Ordinal);
        var row = html[html.IndexOf(request.ClaimIdentifier, StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains(">Overdue<", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queue_NotDevelopmentAndNoIdentityProvider_503SayingWhatToConfigure()
    {
        await using var app = new SpinePolicyApp();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri("/review/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("ReviewQueue:Oidc:Authority", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
