using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SpinePolicy.Storage;
using SpinePolicy.TestKit;

namespace SpinePolicy.Reliability.Tests.Hosting;

public sealed class HealthTests
{
    [Fact]
    public async Task Healthz_Always_Alive()
    {
        await using var app = new SpinePolicyApp();
        using var response = await app.CreateClient().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readyz_RealDatabase_ReadyWithPolicyVersion()
    {
        await using var app = new SpinePolicyApp();
        using var response = await app.CreateClient().GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ready", body.RootElement.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("policyVersion").GetString()));
        var checks = body.RootElement.GetProperty("checks");
        foreach (var dependency in new[] { "database", "policy", "audit-queue" })
        {
            Assert.Equal("healthy", checks.GetProperty(dependency).GetProperty("status").GetString());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(null)]
    public async Task Readyz_DatabaseUnreachableOrProbeFails_503WithRetryAfter(bool? reachable)
    {
        await using var app = new SpinePolicyApp();
        using var factory = app.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.RemoveAll<IDatabaseHealth>();
            services.AddSingleton<IDatabaseHealth>(new FixedDatabaseHealth(reachable));
        }));

        using var response = await factory.CreateClient().GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("not-ready", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("database unreachable", Assert.Single(body.RootElement.GetProperty("problems").EnumerateArray()).GetString());
        var checks = body.RootElement.GetProperty("checks");
        Assert.Equal("unhealthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("healthy", checks.GetProperty("policy").GetProperty("status").GetString());
    }

    /// <summary>A database that answers as told, or (null) whose probe throws.</summary>
    private sealed class FixedDatabaseHealth(bool? reachable) : IDatabaseHealth
    {
        public Task<bool> IsReachableAsync(CancellationToken cancellationToken) =>
            reachable is { } value ? Task.FromResult(value) : throw new StorageUnavailableException();
    }
}
