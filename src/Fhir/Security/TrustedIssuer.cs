namespace SpinePolicy.Fhir.Security;

/// <summary>An issuer whose tokens are trusted, and where its signing keys are: inline JWKS or a JWKS URL.</summary>
public sealed record TrustedIssuer(string Issuer, string? Jwks, string? JwksUrl);
