using System.Security.Claims;

namespace SpinePolicy.ReviewQueue.Security;

/// <summary>The sign-in mode chosen at start-up, and how a signed-in user is read (name, reviewer role).</summary>
internal sealed class ReviewerSignIn(ReviewerSignInMode mode, ReviewerSignInOptions options)
{
    public ReviewerSignInMode Mode { get; } = mode;

    public ReviewerSignInOptions Options { get; } = options;

    public bool IsDevelopment => Mode == ReviewerSignInMode.Development;

    /// <summary>The scheme that holds the reviewer's session in this mode.</summary>
    public string SessionScheme => Mode == ReviewerSignInMode.Development ? ReviewerSchemes.Development : ReviewerSchemes.Cookie;

    /// <summary>True when the role claim (one value, a JSON array read as several, or a space-separated list) names the reviewer role.</summary>
    public bool IsReviewer(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
        && user.FindAll(Options.RoleClaim)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(Options.ReviewerRole, StringComparer.Ordinal);

    /// <summary>How decisions and the page name the reviewer: the name claim, else the subject.</summary>
    public string DisplayName(ClaimsPrincipal user) =>
        user.FindFirst(Options.NameClaim)?.Value is { Length: > 0 } name ? name
        : user.FindFirst("sub")?.Value ?? "an unnamed reviewer";
}
