using System.Net.Http.Headers;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.Reliability.Tests.Fuzzing;

/// <summary>
/// Puts a freshly minted FHIR access token on every request, so that a long fuzz run (10,000 inputs
/// per family) never outlives its token and keeps reaching the parsers instead of getting 401s.
/// </summary>
public sealed class FreshFhirTokenHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.MintFhirToken(["system/*.*"]));
        return base.SendAsync(request, cancellationToken);
    }
}
