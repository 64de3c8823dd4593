using SpinePolicy.TestKit;

namespace SpinePolicy.Reliability.Tests.Hosting;

public sealed class SecurityHeadersTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("/fhir/metadata")]
    [InlineData("/fhir/Claim/does-not-exist")]
    [InlineData("/cds-services")]
    public async Task ApiResponse_AnyAnswer_CarriesSecurityHeadersAndNoStore(string path)
    {
        using var client = fixture.App.CreateFhirClient();

        using var response = await client.GetAsync(path);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoStore, "member data must never be cached");
    }

    [Fact]
    public async Task Https_OutsideDevelopment_SendsStrictTransportSecurity()
    {
        using var client = fixture.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://spinepolicy.test.example") });

        using var response = await client.GetAsync("/healthz");

        Assert.Contains("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }
}

/// <summary>One app shared by a test class that only reads.</summary>
public sealed class AppFixture : IAsyncLifetime
{
    public SpinePolicyApp App { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await App.DisposeAsync();
}
