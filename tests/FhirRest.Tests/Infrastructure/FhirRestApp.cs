using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.TestKit;

namespace SpinePolicy.FhirRest.Tests.Infrastructure;

/// <summary>The real server with a clock the tests can shift (the stores and payer-to-payer read it).</summary>
public sealed class FhirRestApp(IDictionary<string, string?>? settings = null) : SpinePolicyApp(settings)
{
    public OffsetClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}
