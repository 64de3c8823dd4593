using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Security;
using SpinePolicy.Storage;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Storage;

namespace SpinePolicy.FhirRest.Tests.Infrastructure;

/// <summary>The real server with a clock the tests can shift (the stores and payer-to-payer read it).</summary>
public sealed class FhirRestApp(IDictionary<string, string?>? settings = null) : SpinePolicyApp(settings)
{
    public OffsetClock Clock { get; } = new();

    /// <summary>Lets a test make another write land between a request's read and its write.</summary>
    public StoreInterference Interference { get; } = new();

    /// <summary>
    /// Arranges a record the way the decision paths store it ($submit, $review: no client may write
    /// Claims or ClaimResponses through the REST API), filed under <paramref name="owner"/>.
    /// </summary>
    public async Task<T> StoreAsync<T>(T resource, string? owner = null) where T : Resource
    {
        var copy = (T)resource.DeepCopy();
        copy.Id = null;
        OwnerTag.Set(copy, owner);
        var saved = await Services.GetRequiredService<IResourceStore>().SaveAsync([new ResourceWrite(copy)], CancellationToken.None);
        return FhirJson.Parse<T>(saved[0].Json);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            Interference.Install(services);
        });
    }
}
