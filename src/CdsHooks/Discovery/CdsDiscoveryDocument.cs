using System.Text.Json.Serialization;

namespace SpinePolicy.CdsHooks.Discovery;

/// <summary>GET /cds-services (CDS Hooks 2.0 discovery).</summary>
internal sealed record CdsDiscoveryDocument(IReadOnlyList<CdsServiceDescriptor> Services);

/// <summary>One service in the discovery document.</summary>
internal sealed record CdsServiceDescriptor(
    string Hook,
    string Title,
    string Description,
    string Id,
    IReadOnlyDictionary<string, string> Prefetch,
    CdsServiceExtension Extension);

/// <summary>The CRD extensions on a service: which configuration options a client may send, and the CRD version spoken.</summary>
internal sealed record CdsServiceExtension(
    [property: JsonPropertyName("davinci-crd.configuration-options")] IReadOnlyList<CrdConfigurationOption> ConfigurationOptions)
{
    [JsonPropertyName(CrdVersion.DiscoveryExtension)]
    public IReadOnlyList<string> CrdVersions { get; } = CrdVersion.Supported;
}

/// <summary>CRD 2.0.1 CDSHookServicesExtensionConfiguration: code, type (boolean|integer), name, description, default.</summary>
internal sealed record CrdConfigurationOption(string Code, string Type, string Name, string Description, object Default);
