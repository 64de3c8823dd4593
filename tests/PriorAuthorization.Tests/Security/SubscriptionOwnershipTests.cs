using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit.Postgres;
using SpinePolicy.TestKit.Security;
using WireMock.RequestBuilders;
using WireMock.Server;
using WireMockResponse = WireMock.ResponseBuilders.Response;

namespace SpinePolicy.PriorAuthorization.Tests.Security;

/// <summary>
/// Subscriptions as an attacker would try them: for another organization's decisions, reading
/// another's subscription and its credentials, and pointing this server at internal addresses
/// (server-side request forgery), at creation and at delivery.
/// </summary>
public sealed class SubscriptionOwnershipTests : IDisposable
{
    private const string Topic = "http://hl7.org/fhir/us/davinci-pas/SubscriptionTopic/PASSubscriptionTopic";
    private const string Secret = "Authorization: Bearer subscriber-secret-123";
    private readonly WireMockServer _subscriber = WireMockServer.Start();

    public void Dispose()
    {
        _subscriber.Stop();
        _subscriber.Dispose();
    }

    private static Dictionary<string, string?> Loose() => new()
    {
        ["Pas:AllowHttpSubscriptionEndpoints"] = "true",
        ["Pas:SubscriptionEndpointAllowList:0"] = "localhost",
        ["Pas:SubscriptionEndpointAllowList:1"] = "127.0.0.1",
        ["Pas:NotificationRetryDelay"] = "00:00:00.010",
        ["Pas:NotificationAttempts"] = "1",
    };

    [Fact]
    public async Task Subscription_FilteredOnAnotherOrganization_403()
    {
        using var host = new PasHost(Loose());
        using var providerB = host.CreateClientAs(TestClients.OtherProviderClientId);

        var created = await PasHost.PostAsync(providerB, "/fhir/Subscription", NewSubscription($"{_subscriber.Url}/hooks/b", $"{TestClients.NpiSystem}|{TestClients.ProviderNpi}"));

        Assert.Equal(HttpStatusCode.Forbidden, created.Status);
    }

    [Fact]
    public async Task Subscription_ReadByAnotherOrganization_404AndHeadersNeverReturnedEvenToTheOwner()
    {
        using var host = new PasHost(Loose());
        var created = await PasHost.PostAsync(host.Client, "/fhir/Subscription", NewSubscription($"{_subscriber.Url}/hooks/a", $"{TestClients.NpiSystem}|{TestClients.ProviderNpi}"));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var id = created.Resource!.Id;
        using var providerB = host.CreateClientAs(TestClients.OtherProviderClientId);

        using var byB = await providerB.GetAsync(new Uri($"/fhir/Subscription/{id}", UriKind.Relative));
        using var byA = await host.Client.GetAsync(new Uri($"/fhir/Subscription/{id}", UriKind.Relative));
        var readByA = await FhirAnswer.ReadAsync(byA);

        Assert.Equal(HttpStatusCode.NotFound, byB.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readByA.Status);
        Assert.DoesNotContain("subscriber-secret-123", created.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("subscriber-secret-123", readByA.Body, StringComparison.Ordinal);
    }

    /// <summary>
    /// Issue 10: a provider changes and cancels only its own organization's subscriptions. Provider B
    /// redirecting A's notifications to itself (PUT) or silencing them (DELETE, $status probing) is
    /// answered as if the subscription did not exist, and A's subscription is unchanged.
    /// </summary>
    [Fact]
    public async Task Subscription_UpdateDeleteOrStatusByAnotherOrganization_404AndUnchanged()
    {
        using var host = new PasHost(Loose());
        var created = await PasHost.PostAsync(host.Client, "/fhir/Subscription", NewSubscription($"{_subscriber.Url}/hooks/a", $"{TestClients.NpiSystem}|{TestClients.ProviderNpi}"));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var id = created.Resource!.Id;
        using var providerB = host.CreateClientAs(TestClients.OtherProviderClientId);
        var hijacked = NewSubscription($"{_subscriber.Url}/hooks/b", $"{TestClients.NpiSystem}|{TestClients.ProviderNpi}");
        hijacked.Id = id;

        using var content = new StringContent(FhirJson.Serialize(hijacked), System.Text.Encoding.UTF8, "application/fhir+json");
        using var put = await providerB.PutAsync(new Uri($"/fhir/Subscription/{id}", UriKind.Relative), content);
        using var delete = await providerB.DeleteAsync(new Uri($"/fhir/Subscription/{id}", UriKind.Relative));
        using var status = await providerB.GetAsync(new Uri($"/fhir/Subscription/{id}/$status", UriKind.Relative));

        foreach (var (what, response) in new[] { ("PUT", put), ("DELETE", delete), ("$status", status) })
        {
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{what} by another organization: {response.StatusCode}");
            Assert.NotEmpty((await FhirAnswer.ReadAsync(response)).Outcome.Issue);
        }

        var byA = await FhirAnswer.ReadAsync(await host.Client.GetAsync(new Uri($"/fhir/Subscription/{id}", UriKind.Relative)));
        Assert.Equal(HttpStatusCode.OK, byA.Status);
        var kept = (Subscription)byA.Resource!;
        Assert.Equal($"{_subscriber.Url}/hooks/a", kept.Channel.Endpoint);
        Assert.Equal(created.Resource.Meta!.VersionId, kept.Meta!.VersionId);
    }

    [Theory]
    [InlineData("http://subscriber.example/hooks")]
    [InlineData("https://127.0.0.1/hooks")]
    [InlineData("https://localhost/hooks")]
    [InlineData("https://10.1.2.3/hooks")]
    [InlineData("https://172.20.0.1/hooks")]
    [InlineData("https://192.168.1.1/hooks")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]/hooks")]
    [InlineData("https://[fd00:ec2::254]/hooks")]
    [InlineData("https://0.0.0.0/hooks")]
    public async Task Subscription_EndpointNotHttpsOrOnAnInternalAddress_422(string endpoint)
    {
        using var host = new PasHost();

        var created = await PasHost.PostAsync(host.Client, "/fhir/Subscription", NewSubscription(endpoint, $"{TestClients.NpiSystem}|{TestClients.ProviderNpi}"));

        Assert.Equal((HttpStatusCode)422, created.Status);
        Assert.Contains("endpoint", Assert.Single(created.Outcome.Issue).Diagnostics, StringComparison.Ordinal);
    }

    /// <summary>
    /// The looser instance accepted a plain-http, loopback endpoint; the strict one (https only, or
    /// http but no allow-listed internal host) decides the request and never reaches it: the
    /// subscription goes to status error instead, with the reason.
    /// </summary>
    [Theory]
    [InlineData("Sqlite", false)]
    [InlineData("Sqlite", true)]
    [InlineData("Postgres", false)]
    [InlineData("Postgres", true)]
    public async Task Delivery_EndpointStoredByALooserInstance_NeverReachedByAStrictOne(string provider, bool strictAllowsHttp)
    {
        var shared = provider == "Sqlite"
            ? new Dictionary<string, string?> { ["Storage:Sqlite:Path"] = Path.Combine(Path.GetTempPath(), "spinepolicy-tests", $"{Guid.NewGuid():N}.db") }
            : new Dictionary<string, string?> { ["Storage:Provider"] = "Postgres", ["Storage:Postgres:ConnectionString"] = await PostgresCluster.CreateSharedDatabaseAsync() };
        _subscriber.Given(Request.Create().WithPath("/hooks/internal").UsingPost()).RespondWith(WireMockResponse.Create().WithStatusCode(200));
        string id;
        using (var loose = new PasHost(new Dictionary<string, string?>(Loose().Concat(shared))))
        {
            var created = await PasHost.PostAsync(loose.Client, "/fhir/Subscription", NewSubscription($"{_subscriber.Url}/hooks/internal", $"{TestClients.NpiSystem}|{TestClients.ProviderNpi}"));
            Assert.Equal(HttpStatusCode.Created, created.Status);
            id = created.Resource!.Id!;
        }

        using var strict = new PasHost(new Dictionary<string, string?>(shared)
        {
            ["Pas:NotificationAttempts"] = "1",
            ["Pas:NotificationPollInterval"] = "00:00:00.050",
            ["Pas:AllowHttpSubscriptionEndpoints"] = strictAllowsHttp ? "true" : "false",
        });
        var submitted = await strict.SubmitAsync(new PasRequestBuilder().Line("64628").WithAnswers(strict.Fill(Answers.AllMet("bvna").Remove("bvna-bmi"))).Build());
        using var reviewer = strict.CreateClient(ReviewerTokens.Mint());
        var reviewed = await PasHost.PostAsync(reviewer, $"/fhir/ClaimResponse/{submitted.ClaimResponse.Id}/$review", ApproveFirstItem());
        Assert.Equal(HttpStatusCode.OK, reviewed.Status);

        Subscription? seen = null;
        await SubscriptionRequests.WaitUntilAsync(async () =>
        {
            seen = (Subscription)(await FhirAnswer.ReadAsync(await strict.Client.GetAsync(new Uri($"/fhir/Subscription/{id}", UriKind.Relative)))).Resource!;
            return seen.Status == Subscription.SubscriptionStatus.Error;
        });
        Assert.False(string.IsNullOrEmpty(seen!.Error));
        Assert.Empty(_subscriber.FindLogEntries(Request.Create().WithPath("/hooks/internal")));
    }

    private static Parameters ApproveFirstItem()
    {
        var parameters = new Parameters();
        parameters.Add("item", [Tuple.Create("sequence", (Base)new Integer(1)), Tuple.Create("action", (Base)new Code("A1")), Tuple.Create("note", (Base)new FhirString("Approved on review."))]);
        return parameters;
    }

    private static Subscription NewSubscription(string endpoint, string organization)
    {
        var subscription = new Subscription
        {
            Status = Subscription.SubscriptionStatus.Requested,
            Reason = "PAS decisions for our clinic",
            Criteria = Topic,
            Channel = new Subscription.ChannelComponent
            {
                Type = Subscription.SubscriptionChannelType.RestHook,
                Endpoint = endpoint,
                Payload = "application/fhir+json",
                Header = [Secret],
            },
        };
        subscription.Channel.PayloadElement!.Extension.Add(new Extension("http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content", new Code("id-only")));
        subscription.CriteriaElement!.Extension.Add(new Extension("http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-filter-criteria", new FhirString($"orgIdentifier={organization}")));
        return subscription;
    }
}
