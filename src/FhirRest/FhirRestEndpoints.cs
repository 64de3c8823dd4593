using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SpinePolicy.FhirRest;

/// <summary>Registers and maps this slice. Program.cs reads as a list of these.</summary>
public static class FhirRestEndpoints
{
    public static IServiceCollection AddFhirRest(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapFhirRest(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }
}
