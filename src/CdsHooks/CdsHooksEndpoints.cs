using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SpinePolicy.CdsHooks;

/// <summary>Registers and maps this slice. Program.cs reads as a list of these.</summary>
public static class CdsHooksEndpoints
{
    public static IServiceCollection AddCdsHooks(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapCdsHooks(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }
}
