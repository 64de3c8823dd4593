using Microsoft.IdentityModel.JsonWebTokens;

namespace SpinePolicy.Fhir.Security;

/// <summary>
/// The checks on a validated JWT that the JWT library does not make: how long the token was made to
/// live, when it says it was issued, and whether it demands header extensions we do not implement.
/// Shared by the CDS Hooks client JWTs and the FHIR API's access tokens. <see cref="Refusal"/>
/// answers the reason for a refusal (for the log, never for the caller) or null when the token passes.
/// </summary>
public static class TokenLimits
{
    public static string? Refusal(JsonWebToken token, DateTime now, TimeSpan maxLifetime, TimeSpan clockSkew, bool requireIssuedAt) =>
        CriticalHeaderRefusal(token)
        ?? LifetimeRefusal(IssuedAt(token), token.ValidTo, now, maxLifetime, clockSkew, requireIssuedAt);

    /// <summary>
    /// A token made to live longer than <paramref name="maxLifetime"/> is refused: (exp − iat), or,
    /// without iat, (exp − now). A stolen long-lived token is a standing credential; SMART Backend
    /// Services and CDS Hooks both expect minutes. An iat further in the future than the clock skew
    /// is refused too, else a far-future iat would make any exp look short-lived.
    /// </summary>
    public static string? LifetimeRefusal(DateTime? issuedAt, DateTime expires, DateTime now, TimeSpan maxLifetime, TimeSpan clockSkew, bool requireIssuedAt)
    {
        if (issuedAt is not { } iat)
        {
            if (requireIssuedAt)
            {
                return "no numeric iat";
            }

            return expires - now > maxLifetime ? "lifetime (exp - now) exceeds the maximum" : null;
        }

        if (iat > now + clockSkew)
        {
            return "iat is in the future";
        }

        return expires - iat > maxLifetime ? "lifetime (exp - iat) exceeds the maximum" : null;
    }

    /// <summary>
    /// RFC 7515 §4.1.11: a recipient must refuse a JWS whose "crit" header names an extension it does
    /// not understand. We implement none (neither "b64" nor any other), so any "crit" header,
    /// including an empty or malformed one (which producers must not send), is refused.
    /// </summary>
    private static string? CriticalHeaderRefusal(JsonWebToken token) =>
        token.TryGetHeaderValue<object>("crit", out _) ? "crit header names extensions this server does not implement" : null;

    /// <summary>iat as a NumericDate (seconds, possibly fractional); anything else counts as absent.</summary>
    private static DateTime? IssuedAt(JsonWebToken token)
    {
        if (token.TryGetPayloadValue<double>(JwtRegisteredClaimNames.Iat, out var seconds)
            && double.IsFinite(seconds)
            && seconds >= 0
            && seconds < 253402300800) // 9999-12-31: beyond it DateTime cannot represent the instant.
        {
            return DateTime.UnixEpoch.AddSeconds(seconds);
        }

        return null;
    }
}
