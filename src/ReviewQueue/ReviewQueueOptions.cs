using SpinePolicy.ReviewQueue.Security;

namespace SpinePolicy.ReviewQueue;

/// <summary>Settings of the reviewer work queue, bound from "ReviewQueue".</summary>
internal sealed class ReviewQueueOptions
{
    public const string SectionName = "ReviewQueue";

    /// <summary>The payer's identity provider (OpenID Connect, authorization code + PKCE).</summary>
    public ReviewerSignInOptions Oidc { get; set; } = new();

    /// <summary>
    /// In the Development environment only, and only while no identity provider is configured, a
    /// demo reviewer is signed in automatically (under a visible banner). Ignored elsewhere.
    /// </summary>
    public bool DevelopmentSignIn { get; set; } = true;
}
