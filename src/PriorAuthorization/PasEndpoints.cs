using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SpinePolicy.PriorAuthorization;

/// <summary>Registers and maps this slice. Program.cs reads as a list of these.</summary>
public static class PasEndpoints
{
    public static IServiceCollection AddPas(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapPas(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }
}
