using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace SpinePolicy.Fhir.Security;

/// <summary>Reads a JWKS document from a URL (used under a caching ConfigurationManager).</summary>
internal sealed class JwksRetriever : IConfigurationRetriever<JsonWebKeySet>
{
    public async Task<JsonWebKeySet> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        var json = await retriever.GetDocumentAsync(address, cancel);
        return new JsonWebKeySet(json);
    }
}
