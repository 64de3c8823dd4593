using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// How a slice tells the CapabilityStatement what it serves, next to where it maps the routes:
/// <c>services.AddFhirResourceType(…)</c>, <c>services.AddFhirOperation("Claim", …)</c>.
/// </summary>
public static class FhirCapabilityRegistration
{
    public static IServiceCollection AddFhirResourceType(this IServiceCollection services, ServedResourceType type)
    {
        services.TryAddSingleton<FhirCapabilities>();
        return services.AddSingleton(type);
    }

    public static IServiceCollection AddFhirOperation(this IServiceCollection services, string resourceType, ServedOperation operation)
    {
        services.TryAddSingleton<FhirCapabilities>();
        return services.AddSingleton(new ServedTypeOperation(resourceType, operation));
    }

    /// <summary>An operation also answered at <c>POST /fhir/$name</c> (the slice maps that route too).</summary>
    public static IServiceCollection AddFhirSystemOperation(this IServiceCollection services, ServedOperation operation)
    {
        services.TryAddSingleton<FhirCapabilities>();
        return services.AddSingleton(new ServedSystemOperation(operation));
    }

    public static IServiceCollection AddFhirInstantiates(this IServiceCollection services, string capabilityStatementCanonical)
    {
        services.TryAddSingleton<FhirCapabilities>();
        return services.AddSingleton(new InstantiatedCapability(capabilityStatementCanonical));
    }
}
