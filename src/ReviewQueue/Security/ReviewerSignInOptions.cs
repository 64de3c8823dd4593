namespace SpinePolicy.ReviewQueue.Security;

/// <summary>How reviewers sign in: the identity provider, this client, and the claim that carries the reviewer role.</summary>
internal sealed class ReviewerSignInOptions
{
    /// <summary>The identity provider's issuer URL (its discovery document is read from there). Empty: not configured.</summary>
    public string? Authority { get; set; }

    public string ClientId { get; set; } = "spinepolicy-review";

    /// <summary>Only for a confidential client; a public client relies on PKCE alone.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for besides "openid".</summary>
    public List<string> Scopes { get; set; } = ["profile"];

    /// <summary>The ID token claim that lists the user's roles.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The role a user needs to work the queue.</summary>
    public string ReviewerRole { get; set; } = "reviewer";

    /// <summary>The ID token claim shown as the reviewer's name (and written into decisions).</summary>
    public string NameClaim { get; set; } = "name";

    /// <summary>Refuse an identity provider reached over plain http (switch off only for local tests).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority);
}
