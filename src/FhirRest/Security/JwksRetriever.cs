using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace SpinePolicy.FhirRest.Security;

/// <summary>Lets the IdentityModel ConfigurationManager fetch and cache a bare JWKS document.</summary>
public sealed class JwksRetriever : IConfigurationRetriever<JsonWebKeySet>
{
    public async Task<JsonWebKeySet> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        var json = await retriever.GetDocumentAsync(address, cancel).ConfigureAwait(false);
        return new JsonWebKeySet(json);
    }
}
