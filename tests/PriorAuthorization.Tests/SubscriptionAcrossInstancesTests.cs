using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit.Postgres;
using WireMock.RequestBuilders;
using WireMock.Server;
using WireMockResponse = WireMock.ResponseBuilders.Response;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>
/// Two instances on one PostgreSQL database: a notification survives the instance that made the
/// decision, and a subscription's event numbers increase across instances.
/// </summary>
public sealed class SubscriptionAcrossInstancesTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IDisposable
{
    private readonly WireMockServer _subscriber = WireMockServer.Start();

    public void Dispose()
    {
        _subscriber.Stop();
        _subscriber.Dispose();
    }

    private async Task<Dictionary<string, string?>> SettingsAsync(string retryDelay) => new()
    {
        ["Storage:Provider"] = "Postgres",
        ["Storage:Postgres:ConnectionString"] = await database.CreateSchemaAsync(),
        ["Pas:AllowHttpSubscriptionEndpoints"] = "true",
        // WireMock plays the subscriber on this machine: an operator allow-lists such an internal host.
        ["Pas:SubscriptionEndpointAllowList:0"] = "localhost",
        ["Pas:SubscriptionEndpointAllowList:1"] = "127.0.0.1",
        ["Pas:NotificationRetryDelay"] = retryDelay,
        ["Pas:NotificationPollInterval"] = "00:00:00.050",
    };

    [Fact]
    public async Task Notification_DecidingInstanceStoppedBeforeDelivering_DeliveredByTheOtherInstance()
    {
        // The subscriber is briefly away: the deciding instance's only attempt fails, then it is stopped (a rolling deploy).
        _subscriber.Given(Request.Create().WithPath("/hooks/rolling").UsingPost()).InScenario("away").WillSetStateTo("back")
            .RespondWith(WireMockResponse.Create().WithStatusCode(503));
        _subscriber.Given(Request.Create().WithPath("/hooks/rolling").UsingPost()).InScenario("away").WhenStateIs("back")
            .RespondWith(WireMockResponse.Create().WithStatusCode(200));
        var settings = await SettingsAsync(retryDelay: "00:00:01");
        string decided;
        using (var deciding = new PasHost(settings))
        {
            await SubscribeAsync(deciding, "/hooks/rolling", "org-identifier=8888888888");
            decided = await SubscriptionRequests.DecidePendedRequestAsync(deciding, "8888888888");
            await SubscriptionRequests.WaitUntilAsync(() => Task.FromResult(Posts("/hooks/rolling").Count >= 1));
        }

        using var other = new PasHost(settings);
        await SubscriptionRequests.WaitUntilAsync(() => Task.FromResult(Posts("/hooks/rolling").Count >= 2));

        var delivered = FhirJson.Parse<Bundle>(Posts("/hooks/rolling")[1]);
        Assert.Equal(1, SubscriptionRequests.EventsSinceStart(delivered));
        Assert.Equal(decided, Assert.IsType<ClaimResponse>(delivered.Entry[1].Resource).Id);
        await Task.Delay(300);
        Assert.Equal(2, Posts("/hooks/rolling").Count);
    }

    [Fact]
    public async Task EventNumbers_DecisionsOnBothInstances_StrictlyIncreasingWithoutRepeats()
    {
        _subscriber.Given(Request.Create().WithPath("/hooks/both").UsingPost()).RespondWith(WireMockResponse.Create().WithStatusCode(200));
        var settings = await SettingsAsync(retryDelay: "00:00:00.050");
        using var first = new PasHost(settings);
        using var second = new PasHost(settings);
        await SubscribeAsync(first, "/hooks/both", "org-identifier=9999999999");

        await SubscriptionRequests.DecidePendedRequestAsync(first, "9999999999");
        await SubscriptionRequests.DecidePendedRequestAsync(second, "9999999999");
        await Task.WhenAll(
            SubscriptionRequests.DecidePendedRequestAsync(first, "9999999999"),
            SubscriptionRequests.DecidePendedRequestAsync(second, "9999999999"));
        await SubscriptionRequests.WaitUntilAsync(() => Task.FromResult(Posts("/hooks/both").Count >= 4));

        var numbers = Posts("/hooks/both").Select(body => SubscriptionRequests.EventsSinceStart(FhirJson.Parse<Bundle>(body))).ToList();
        Assert.Equal([1L, 2L, 3L, 4L], numbers);
    }

    private List<string> Posts(string path) =>
        _subscriber.FindLogEntries(Request.Create().WithPath(path).UsingPost()).Select(e => e.RequestMessage.Body!).ToList();

    private async Task SubscribeAsync(PasHost host, string path, string filter)
    {
        var created = await PasHost.PostAsync(host.Client, "/fhir/Subscription", SubscriptionRequests.NewSubscription($"{_subscriber.Url}{path}", filter));
        Assert.Equal(System.Net.HttpStatusCode.Created, created.Status);
    }
}
