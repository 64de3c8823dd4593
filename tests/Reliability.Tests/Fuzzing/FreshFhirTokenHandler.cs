using System.Net.Http.Headers;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.Reliability.Tests.Fuzzing;

/// <summary>
/// Puts a freshly minted FHIR access token on every request, so that a long fuzz run (10,000 inputs
/// per family) never outlives its token and keeps reaching the parsers instead of getting 401s.
/// The client it acts as is chosen per request: an endpoint only one kind of client may call (a
/// payer partner's $member-match) must be fuzzed as that client, or every input stops at the 403.
/// </summary>
public sealed class FreshFhirTokenHandler(Func<string>? clientId = null, string issuer = TestTokens.FhirIssuer) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var client = clientId?.Invoke() ?? TestTokens.DefaultFhirClientId;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.MintFhirToken(["system/*.*"], client, issuer));
        return base.SendAsync(request, cancellationToken);
    }
}
