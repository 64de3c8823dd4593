namespace SpinePolicy.ReviewQueue.Security;

/// <summary>How the queue knows who its reviewer is, decided once at start-up.</summary>
internal enum ReviewerSignInMode
{
    /// <summary>OpenID Connect against the configured identity provider.</summary>
    OpenIdConnect,

    /// <summary>Development environment without an identity provider: a demo reviewer, under a banner.</summary>
    Development,

    /// <summary>No identity provider and not Development: the queue refuses to open.</summary>
    NotConfigured,
}
