using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SpinePolicy.ReviewQueue.Security;

/// <summary>
/// Development only (never registered in another environment): every visitor of /review is the
/// demo reviewer, so that "dotnet run" shows the queue at once. The pages say so in a banner.
/// </summary>
internal sealed class DevelopmentReviewerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<ReviewQueueOptions> queueOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Subject = "demo-reviewer";

    public const string Name = "Demo Reviewer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var signIn = queueOptions.Value.Oidc;
        var identity = new ClaimsIdentity(
            [
                new Claim("sub", Subject, ClaimValueTypes.String, "development"),
                new Claim(signIn.NameClaim, Name, ClaimValueTypes.String, "development"),
                new Claim(signIn.RoleClaim, signIn.ReviewerRole, ClaimValueTypes.String, "development"),
            ],
            ReviewerSchemes.Development,
            signIn.NameClaim,
            signIn.RoleClaim);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ReviewerSchemes.Development)));
    }
}
