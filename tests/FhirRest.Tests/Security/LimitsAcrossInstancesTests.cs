using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using SpinePolicy.TestKit.Postgres;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.Security;

/// <summary>
/// Two server instances on one database, as a payer runs them behind a load balancer: a client's
/// request budget and its <c>$member-match</c> lockout are one budget and one lockout for both, so
/// spreading requests over N instances buys nothing (threat: N instances allowing N × the limit).
/// </summary>
public sealed class LimitsAcrossInstancesTests
{
    private const int Permits = 6;

    private static async Task<(FhirRestApp First, FhirRestApp Second)> TwoInstancesAsync(string provider, IDictionary<string, string?> settings)
    {
        var shared = new Dictionary<string, string?>(settings) { ["MemberCoverage:PayorIdentifiers:0"] = FhirData.OurPayerId };
        if (provider == "Postgres")
        {
            shared["Storage:Provider"] = "Postgres";
            shared["Storage:Postgres:ConnectionString"] = await PostgresCluster.CreateSharedDatabaseAsync();
            return (new FhirRestApp(shared), new FhirRestApp(shared));
        }

        var first = new FhirRestApp(shared);
        return (first, new FhirRestApp(new Dictionary<string, string?>(shared) { ["Storage:Sqlite:Path"] = first.DatabasePath }));
    }

    private static Dictionary<string, string?> RateLimited() => new()
    {
        ["RateLimiting:Enabled"] = "true",
        ["RateLimiting:PermitLimit"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimiting:WindowSeconds"] = "3600",
    };

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task RateLimit_OneClientAlternatingBetweenInstances_GetsOneBudgetNotTwo(string provider)
    {
        var (first, second) = await TwoInstancesAsync(provider, RateLimited());
        await using var firstApp = first;
        await using var secondApp = second;
        var clientId = FhirData.Unique("busy");
        using var viaFirst = FhirHttp.Client(first, clientId, "system/*.read");
        using var viaSecond = FhirHttp.Client(second, clientId, "system/*.read");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 2 * Permits; i++)
        {
            using var response = await (i % 2 == 0 ? viaFirst : viaSecond).GetAsync(FhirHttp.Fhir("metadata"));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(Permits, statuses.Count(s => s != HttpStatusCode.TooManyRequests));
        Assert.All(statuses.Skip(Permits), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task RateLimit_ConcurrentBurstOnBothInstances_AdmitsNoMoreThanTheLimit(string provider)
    {
        var (first, second) = await TwoInstancesAsync(provider, RateLimited());
        await using var firstApp = first;
        await using var secondApp = second;
        var clientId = FhirData.Unique("burst");
        using var viaFirst = FhirHttp.Client(first, clientId, "system/*.read");
        using var viaSecond = FhirHttp.Client(second, clientId, "system/*.read");

        var responses = await Task.WhenAll(Enumerable.Range(0, 4 * Permits).Select(async i =>
        {
            using var response = await (i % 2 == 0 ? viaFirst : viaSecond).GetAsync(FhirHttp.Fhir("metadata"));
            return response.StatusCode;
        }));

        Assert.Equal(Permits, responses.Count(s => s != HttpStatusCode.TooManyRequests));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task MemberMatchLockout_GuessesSpreadOverInstances_LockOutOnBoth(string provider)
    {
        var (first, second) = await TwoInstancesAsync(provider, new Dictionary<string, string?>());
        await using var firstApp = first;
        await using var secondApp = second;
        using var admin = FhirHttp.Admin(first);
        var memberId = FhirData.Unique("M");
        var patient = await FhirHttp.CreateAsync(admin, FhirData.Patient("Okafor", "Ada", "1961-03-09", memberId: memberId));
        await FhirHttp.CreateAsync(admin, FhirData.Coverage(patient.Id!, memberId));
        var demographics = FhirData.Patient("Okafor", "Ada", "1961-03-09");
        var prober = FhirData.Unique("prober");
        using var viaFirst = FhirHttp.Partner(first, prober, "system/Patient.read");
        using var viaSecond = FhirHttp.Partner(second, prober, "system/Patient.read");

        // Five misses (the default limit), alternating between the instances.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var miss = await MatchAsync(attempt % 2 == 0 ? viaFirst : viaSecond, demographics, FhirData.Unique("M"));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, miss.StatusCode);
        }

        using var lockedOnFirst = await MatchAsync(viaFirst, demographics, memberId);
        using var lockedOnSecond = await MatchAsync(viaSecond, demographics, memberId);

        Assert.Equal(HttpStatusCode.TooManyRequests, lockedOnFirst.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, lockedOnSecond.StatusCode);
    }

    private static Task<HttpResponseMessage> MatchAsync(HttpClient client, Patient demographics, string memberId) =>
        client.PostAsync(FhirHttp.Fhir("Patient/$member-match"), FhirHttp.Json(FhirData.MemberMatch(demographics, FhirData.CardCoverage(memberId), FhirData.CurrentConsent())));
}
