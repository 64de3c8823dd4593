using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SpinePolicy.CdsHooks.Tests.Support;
using SpinePolicy.TestKit;

namespace SpinePolicy.CdsHooks.Tests;

/// <summary>The Development profile (appsettings.Development.json) runs CDS Hooks without client authentication; no other profile does.</summary>
public sealed class DevelopmentProfileTests
{
    [Fact]
    public async Task OrderSign_DevelopmentProfile_AnswersWithoutToken()
    {
        using var app = new SpinePolicyApp(new Dictionary<string, string?> { ["MemberCoverage:PayorIdentifiers:0"] = CrdTestData.OurPayor });
        using var development = app.WithWebHostBuilder(builder => builder.UseEnvironment("Development"));
        using var client = development.CreateClient(new WebApplicationFactoryClientOptions());
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64493", "sr-facet"))
            .Member(CrdTestData.Patient(40), CrdTestData.Coverage("MGB-COMMERCIAL"))
            .Build();

        using var response = await client.PostAsync("/cds-services/order-sign-crd", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
