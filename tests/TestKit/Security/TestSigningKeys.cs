using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace SpinePolicy.TestKit.Security;

/// <summary>
/// Keys made fresh for each test run (never checked in): an RSA key for RS384 and a P-384 key for
/// ES384, plus a third key nobody trusts, for forged-signature tests.
/// </summary>
public static class TestSigningKeys
{
    public static RsaSecurityKey Rsa { get; } = new(RSA.Create(3072)) { KeyId = "test-rsa-1" };

    public static ECDsaSecurityKey EcP384 { get; } = new(ECDsa.Create(ECCurve.NamedCurves.nistP384)) { KeyId = "test-ec-1" };

    /// <summary>A key that is in no JWKS: tokens it signs must be refused.</summary>
    public static RsaSecurityKey Untrusted { get; } = new(RSA.Create(3072)) { KeyId = "test-rsa-1" };

    /// <summary>The public JWKS for <see cref="Rsa"/> and <see cref="EcP384"/>.</summary>
    public static string PublicJwks { get; } = BuildJwks(Rsa, EcP384);

    public static string BuildJwks(params SecurityKey[] keys)
    {
        var jwks = keys.Select(key =>
        {
            var jwk = key switch
            {
                RsaSecurityKey rsa => JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.Rsa.ExportParameters(false)) { KeyId = rsa.KeyId }),
                ECDsaSecurityKey ec => JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(ec.ECDsa.ExportParameters(false))) { KeyId = ec.KeyId }),
                _ => throw new ArgumentException($"Unsupported key type {key.GetType().Name}", nameof(keys)),
            };
            var entry = new Dictionary<string, string?>
            {
                ["kty"] = jwk.Kty,
                ["kid"] = jwk.Kid,
                ["use"] = "sig",
            };
            if (jwk.Kty == "RSA")
            {
                entry["alg"] = "RS384";
                entry["n"] = jwk.N;
                entry["e"] = jwk.E;
            }
            else
            {
                entry["alg"] = "ES384";
                entry["crv"] = jwk.Crv;
                entry["x"] = jwk.X;
                entry["y"] = jwk.Y;
            }

            return entry;
        });
        return JsonSerializer.Serialize(new { keys = jwks });
    }
}
