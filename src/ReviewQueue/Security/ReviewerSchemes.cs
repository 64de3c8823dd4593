namespace SpinePolicy.ReviewQueue.Security;

/// <summary>The authentication schemes and the authorization policy of the reviewer pages (apart from the API schemes).</summary>
internal static class ReviewerSchemes
{
    /// <summary>The session cookie of a signed-in reviewer (path /review only).</summary>
    public const string Cookie = "ReviewQueue.Cookie";

    public const string OpenIdConnect = "ReviewQueue.Oidc";

    public const string Development = "ReviewQueue.Development";

    /// <summary>Signed in, and holding the reviewer role.</summary>
    public const string ReviewerPolicy = "ReviewQueue.Reviewer";

    public const string CallbackPath = "/review/signin-oidc";

    public const string SignedOutCallbackPath = "/review/signout-callback-oidc";

    public const string AccessDeniedPath = "/review/access-denied";
}
