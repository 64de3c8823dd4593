using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace SpinePolicy.TestKit.Security;

/// <summary>
/// The authorization-code half of a SMART authorization server that approves at once, as the test
/// EHR and the payer's sign-in server both need it: the authorize request is checked (response type,
/// client id, absolute redirect URI, S256 challenge, audience) and answered with a one-time code;
/// the token request must bring that code back with the same redirect URI and client id and the
/// verifier that hashes to the challenge.
/// </summary>
public sealed class PkceAuthorizationCodes(string clientId)
{
    private readonly ConcurrentDictionary<string, Grant> _codes = new();

    /// <summary>What an authorization granted: the scope asked for and the EHR launch id (empty in a standalone launch).</summary>
    public sealed record Grant(string Challenge, string RedirectUri, string Scope, string Launch);

    /// <summary>
    /// Answers an authorize request: a redirect carrying a new code and the state, or 400.
    /// <paramref name="audience"/> null accepts any "aud".
    /// </summary>
    public IResult Authorize(HttpRequest request, string? audience)
    {
        var query = request.Query;
        var redirect = query["redirect_uri"].ToString();
        if (query["response_type"] != "code" || query["client_id"] != clientId || !Uri.TryCreate(redirect, UriKind.Absolute, out _)
            || query["code_challenge_method"] != "S256" || string.IsNullOrEmpty(query["code_challenge"])
            || (audience is not null && query["aud"].ToString().TrimEnd('/') != audience.TrimEnd('/')))
        {
            return Results.BadRequest("invalid authorization request");
        }

        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _codes[code] = new Grant(query["code_challenge"]!, redirect, query["scope"].ToString(), query["launch"].ToString());
        return Results.Redirect($"{redirect}{(redirect.Contains('?', StringComparison.Ordinal) ? '&' : '?')}code={code}&state={Uri.EscapeDataString(query["state"].ToString())}");
    }

    /// <summary>Redeems the code of a token request (once); null when anything does not match.</summary>
    public async Task<Grant?> RedeemAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var grant)
            || form["redirect_uri"] != grant.RedirectUri || form["client_id"] != clientId
            || Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != grant.Challenge)
        {
            return null;
        }

        return grant;
    }

    /// <summary>The answer to a token request whose code did not redeem.</summary>
    public static IResult InvalidGrant() => Results.Json(new { error = "invalid_grant" }, statusCode: StatusCodes.Status400BadRequest);

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
