using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SpinePolicy.FhirQuestionnaire;

/// <summary>Registers and maps this slice. Program.cs reads as a list of these.</summary>
public static class DtrEndpoints
{
    public static IServiceCollection AddDtr(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapDtr(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }
}
