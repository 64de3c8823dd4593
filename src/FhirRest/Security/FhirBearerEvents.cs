using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Fhir.Security;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Security;

/// <summary>
/// The FHIR bearer scheme's hooks: fetch the issuer's keys before validation, refresh them when a
/// token names an unknown key, and answer 401/403 as FHIR (OperationOutcome) without saying why a
/// token failed. Logs carry the failure kind and client id only, never the token.
/// </summary>
internal sealed partial class FhirBearerEvents([FromKeyedServices(FhirAuthorizationDefaults.Scheme)] TrustedIssuerKeys keys, IOptions<FhirAuthenticationOptions> options, ILogger<FhirBearerEvents> logger) : JwtBearerEvents
{
    /// <summary>
    /// After the signature, issuer, audience and exp checks: the token must have been minted for at
    /// most <see cref="FhirAuthenticationOptions.MaxTokenLifetime"/> (SMART Backend Services: five
    /// minutes), with no iat in the future and no "crit" header we do not understand.
    /// </summary>
    public override Task TokenValidated(TokenValidatedContext context)
    {
        if (context.SecurityToken is not JsonWebToken token)
        {
            context.Fail("Unexpected token type.");
            return Task.CompletedTask;
        }

        var settings = options.Value;
        // The JWT library checks exp against the system clock; the same clock here, so both checks agree.
        var now = DateTime.UtcNow;
        if (TokenLimits.Refusal(token, now, settings.MaxTokenLifetime, settings.ClockSkew, requireIssuedAt: false) is { } refusal)
        {
            LogTokenRefused(logger, refusal);
            context.Fail("Token limits.");
        }

        return Task.CompletedTask;
    }

    public override async Task MessageReceived(MessageReceivedContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var raw = header["Bearer ".Length..].Trim();
        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(raw))
        {
            return;
        }

        try
        {
            var issuer = handler.ReadJsonWebToken(raw).Issuer;
            if (!string.IsNullOrEmpty(issuer))
            {
                await keys.WarmAsync(issuer, context.HttpContext.RequestAborted);
            }
        }
        catch (ArgumentException)
        {
            // Unreadable token: validation will refuse it.
        }
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        if (context.Exception is SecurityTokenSignatureKeyNotFoundException && context.Principal is null)
        {
            var raw = context.Request.Headers.Authorization.ToString();
            if (raw.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    keys.RequestRefresh(new JsonWebToken(raw["Bearer ".Length..].Trim()).Issuer);
                }
                catch (ArgumentException)
                {
                    // Not a JWT at all; nothing to refresh.
                }
            }
        }

        var failureKind = context.Exception.GetType().Name;
        LogTokenRefused(logger, failureKind);
        return Task.CompletedTask;
    }

    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var presented = context.AuthenticateFailure is not null;

        // RFC 6750: say that the token was invalid, never why (no error_description).
        context.Response.Headers.WWWAuthenticate = presented ? "Bearer error=\"invalid_token\"" : "Bearer";
        await FhirResult.Error(StatusCodes.Status401Unauthorized, OperationOutcome.IssueType.Login,
                "A valid bearer access token is required.")
            .ExecuteAsync(context.HttpContext);
    }

    public override async Task Forbidden(ForbiddenContext context)
    {
        var clientId = FhirClientIdentity.ClientId(context.HttpContext.User) ?? "unknown";
        // The route pattern, not the path: a path carries resource ids, which may identify a member.
        var route = (context.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no endpoint)";
        LogScopeMissing(logger, clientId, route);
        await FhirResult.Error(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden,
                "The access token does not grant the scope this request needs: a system scope, or a user scope of a signed-in user whose organization the token names.")
            .ExecuteAsync(context.HttpContext);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "FHIR access token refused: {FailureKind}")]
    private static partial void LogTokenRefused(ILogger logger, string failureKind);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "FHIR client {ClientId} lacks the scope for {Route}")]
    private static partial void LogScopeMissing(ILogger logger, string clientId, string route);
}
