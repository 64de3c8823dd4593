using System.Net;
using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit.Validation;
using WireMock.RequestBuilders;
using WireMock.Server;
using WireMockResponse = WireMock.ResponseBuilders.Response;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>
/// A subscriber's view of its Subscription: it can switch it off, delete it, ask for its $status,
/// and a dead endpoint is given up after a bounded number of attempts without holding up anyone else.
/// </summary>
public sealed class SubscriptionLifecycleTests : IDisposable
{
    private readonly WireMockServer _subscriber = WireMockServer.Start();
    private readonly PasHost _host = new(new Dictionary<string, string?>
    {
        ["Pas:AllowHttpSubscriptionEndpoints"] = "true",
        // WireMock plays the subscriber on this machine: an operator allow-lists such an internal host.
        ["Pas:SubscriptionEndpointAllowList:0"] = "localhost",
        ["Pas:SubscriptionEndpointAllowList:1"] = "127.0.0.1",
        ["Pas:NotificationAttempts"] = "3",
        ["Pas:NotificationRetryDelay"] = "00:00:00.050",
        ["Pas:NotificationPollInterval"] = "00:00:00.050",
    });

    public void Dispose()
    {
        _host.Dispose();
        _subscriber.Stop();
        _subscriber.Dispose();
    }

    [Fact]
    public async Task Status_AfterTwoDecisions_CountsTwoEventsAndConformsToTheBackport()
    {
        Answer("/hooks/counted", 200);
        var id = await SubscribeAsync("/hooks/counted", "org-identifier=4444444444");

        await SubscriptionRequests.DecidePendedRequestAsync(_host, "4444444444");
        await SubscriptionRequests.DecidePendedRequestAsync(_host, "4444444444");
        await WaitForPostsAsync("/hooks/counted", 2);
        var status = await StatusAsync(id);

        Assert.Equal(2, SubscriptionRequests.EventsSinceStart(status));
        var parameters = Assert.IsType<Parameters>(Assert.Single(status.Entry).Resource);
        Assert.Equal("active", ((Code)parameters.GetSingle("status")!.Value!).Value);
        Assert.Equal("query-status", ((Code)parameters.GetSingle("type")!.Value!).Value);
        FhirProfileValidation.Shared.AssertConforms(parameters, "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4");
        var numbers = Posts("/hooks/counted").Select(body => SubscriptionRequests.EventsSinceStart(FhirJson.Parse<Bundle>(body))).ToList();
        Assert.Equal([1L, 2L], numbers);
    }

    [Fact]
    public async Task Put_StatusOff_StopsNotificationsAndStatusSaysOff()
    {
        Answer("/hooks/quiet", 200);
        var id = await SubscribeAsync("/hooks/quiet", "ClaimResponse?org-identifier=5555555555");
        var subscription = (await ReadAsync(id))!;
        subscription.Status = Subscription.SubscriptionStatus.Off;

        var updated = await PutAsync(id, subscription);
        await SubscriptionRequests.DecidePendedRequestAsync(_host, "5555555555");
        await Task.Delay(500);

        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal(Subscription.SubscriptionStatus.Off, ((Subscription)updated.Resource!).Status);
        Assert.Empty(Posts("/hooks/quiet"));
        var parameters = Assert.IsType<Parameters>((await StatusAsync(id)).Entry[0].Resource);
        Assert.Equal("off", ((Code)parameters.GetSingle("status")!.Value!).Value);
    }

    [Fact]
    public async Task Put_StaleIfMatch_412AndNothingChanges()
    {
        var id = await SubscribeAsync("/hooks/any", "org-identifier=5555555556");
        var subscription = (await ReadAsync(id))!;
        subscription.Status = Subscription.SubscriptionStatus.Off;

        using var content = new StringContent(FhirJson.Serialize(subscription), System.Text.Encoding.UTF8, "application/fhir+json");
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/fhir/Subscription/{id}") { Content = content };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"7\"", isWeak: true));
        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal(Subscription.SubscriptionStatus.Active, (await ReadAsync(id))!.Status);
    }

    [Fact]
    public async Task Delete_Subscription_204ThenGoneAndNoMoreNotifications()
    {
        Answer("/hooks/gone", 200);
        var id = await SubscribeAsync("/hooks/gone", "orgIdentifier=6666666666");

        using var deleted = await _host.Client.DeleteAsync(new Uri($"/fhir/Subscription/{id}", UriKind.Relative));
        await SubscriptionRequests.DecidePendedRequestAsync(_host, "6666666666");
        await Task.Delay(500);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Null(await ReadAsync(id));
        using var again = await _host.Client.DeleteAsync(new Uri($"/fhir/Subscription/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Empty(Posts("/hooks/gone"));
    }

    [Fact]
    public async Task DeadEndpoint_AfterTheAttemptsAllowed_SubscriptionInErrorAndTheOtherSubscriberServed()
    {
        // The dead one never answers in time; the healthy one of the same organization must not wait for it.
        _subscriber.Given(Request.Create().WithPath("/hooks/dead").UsingPost()).RespondWith(WireMockResponse.Create().WithStatusCode(500).WithDelay(TimeSpan.FromMilliseconds(300)));
        Answer("/hooks/healthy", 200);
        var dead = await SubscribeAsync("/hooks/dead", "org-identifier=7777777777");
        await SubscribeAsync("/hooks/healthy", "org-identifier=7777777777");

        await SubscriptionRequests.DecidePendedRequestAsync(_host, "7777777777");
        await WaitForPostsAsync("/hooks/healthy", 1);
        Assert.True(Posts("/hooks/dead").Count < 3, "the healthy subscriber was served only after every attempt to the dead one");
        await SubscriptionRequests.WaitUntilAsync(async () => (await ReadAsync(dead))?.Status == Subscription.SubscriptionStatus.Error);
        await SubscriptionRequests.DecidePendedRequestAsync(_host, "7777777777");
        await WaitForPostsAsync("/hooks/healthy", 2);

        // Three attempts (Pas:NotificationAttempts), then nothing more: not for the later decision either.
        Assert.Equal(3, Posts("/hooks/dead").Count);
        var inError = (await ReadAsync(dead))!;
        Assert.Contains("failed 3 times", inError.Error, StringComparison.Ordinal);
        var parameters = Assert.IsType<Parameters>((await StatusAsync(dead)).Entry[0].Resource);
        Assert.Equal("error", ((Code)parameters.GetSingle("status")!.Value!).Value);
        Assert.NotNull(parameters.GetSingle("error"));

        // The subscriber repaired its endpoint and asks to resume.
        inError.Status = Subscription.SubscriptionStatus.Requested;
        var resumed = await PutAsync(dead, inError);
        Assert.Equal(Subscription.SubscriptionStatus.Active, ((Subscription)resumed.Resource!).Status);
        Assert.Null(((Subscription)resumed.Resource!).Error);
    }

    private void Answer(string path, int status) =>
        _subscriber.Given(Request.Create().WithPath(path).UsingPost()).RespondWith(WireMockResponse.Create().WithStatusCode(status));

    private List<string> Posts(string path) =>
        _subscriber.FindLogEntries(Request.Create().WithPath(path).UsingPost()).Select(e => e.RequestMessage.Body!).ToList();

    private async Task<string> SubscribeAsync(string path, string filter)
    {
        var created = await PasHost.PostAsync(_host.Client, "/fhir/Subscription", SubscriptionRequests.NewSubscription($"{_subscriber.Url}{path}", filter));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created.Resource!.Id!;
    }

    private async Task<Subscription?> ReadAsync(string id)
    {
        using var response = await _host.Client.GetAsync(new Uri($"/fhir/Subscription/{id}", UriKind.Relative));
        return response.StatusCode == HttpStatusCode.OK ? FhirJson.Parse<Subscription>(await response.Content.ReadAsStringAsync()) : null;
    }

    private async Task<FhirAnswer> PutAsync(string id, Subscription subscription)
    {
        using var content = new StringContent(FhirJson.Serialize(subscription), System.Text.Encoding.UTF8, "application/fhir+json");
        using var response = await _host.Client.PutAsync(new Uri($"/fhir/Subscription/{id}", UriKind.Relative), content);
        return await FhirAnswer.ReadAsync(response);
    }

    private async Task<Bundle> StatusAsync(string id)
    {
        using var response = await _host.Client.GetAsync(new Uri($"/fhir/Subscription/{id}/$status", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return FhirJson.Parse<Bundle>(await response.Content.ReadAsStringAsync());
    }

    private async Task WaitForPostsAsync(string path, int count) => await SubscriptionRequests.WaitUntilAsync(() => Task.FromResult(Posts(path).Count >= count));
}
