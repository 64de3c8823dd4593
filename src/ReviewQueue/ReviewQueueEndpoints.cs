using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using SpinePolicy.ReviewQueue.Cases;
using SpinePolicy.ReviewQueue.Security;
using SpinePolicy.Storage.Auditing;

namespace SpinePolicy.ReviewQueue;

/// <summary>Registers and maps the reviewer work queue at /review/. Program.cs reads as a list of these.</summary>
public static class ReviewQueueEndpoints
{
    public static IServiceCollection AddReviewQueue(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection(ReviewQueueOptions.SectionName);
        services.AddOptions<ReviewQueueOptions>()
            .Bind(section)
            .Validate(o => !o.Oidc.IsConfigured || Uri.TryCreate(o.Oidc.Authority, UriKind.Absolute, out _), "ReviewQueue:Oidc:Authority must be an absolute URL.")
            .Validate(o => !o.Oidc.IsConfigured || !string.IsNullOrWhiteSpace(o.Oidc.ClientId), "ReviewQueue:Oidc:ClientId is required with an Authority.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Oidc.RoleClaim) && !string.IsNullOrWhiteSpace(o.Oidc.ReviewerRole), "ReviewQueue:Oidc:RoleClaim and ReviewerRole must not be empty.")
            .ValidateOnStart();

        var options = section.Get<ReviewQueueOptions>() ?? new ReviewQueueOptions();
        var mode = options.Oidc.IsConfigured ? ReviewerSignInMode.OpenIdConnect
            : environment.IsDevelopment() && options.DevelopmentSignIn ? ReviewerSignInMode.Development
            : ReviewerSignInMode.NotConfigured;
        var signIn = new ReviewerSignIn(mode, options.Oidc);
        services.AddSingleton(signIn);

        var authentication = services.AddAuthentication();
        if (mode == ReviewerSignInMode.OpenIdConnect)
        {
            authentication
                .AddCookie(ReviewerSchemes.Cookie, cookie => ConfigureSession(cookie))
                .AddOpenIdConnect(ReviewerSchemes.OpenIdConnect, oidc => ConfigureOpenIdConnect(oidc, signIn));

            // A form posted after the session ended keeps its work instead of being redirected away.
            services.AddSingleton<IAuthorizationMiddlewareResultHandler, SessionEndedOnPost>();
        }
        else if (mode == ReviewerSignInMode.Development)
        {
            authentication.AddScheme<AuthenticationSchemeOptions, DevelopmentReviewerHandler>(ReviewerSchemes.Development, null);
        }

        services.AddAuthorization(authorization => authorization.AddPolicy(ReviewerSchemes.ReviewerPolicy, policy => policy
            .AddAuthenticationSchemes(signIn.SessionScheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => signIn.IsReviewer(context.User))));

        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = ".SpinePolicy.Review.Antiforgery";
            antiforgery.Cookie.Path = "/review";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            antiforgery.FormFieldName = "__RequestVerificationToken";
        });

        var headers = new ReviewPageHeadersFilter(ReviewPageHeadersFilter.PolicyFor(options.Oidc));
        services.AddSingleton(headers);
        services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/Review", ReviewerSchemes.ReviewerPolicy);
            pages.Conventions.ConfigureFilter(headers);
            pages.Conventions.ConfigureFilter(new AntiforgeryFailurePage());
        }).AddApplicationPart(typeof(ReviewQueueEndpoints).Assembly);
        services.AddScoped<CaseViewBuilder>();
        services.AddSingleton<DecisionDraftCookie>();
        return services;
    }

    public static IEndpointRouteBuilder MapReviewQueue(this IEndpointRouteBuilder endpoints)
    {
        var signIn = endpoints.ServiceProvider.GetRequiredService<ReviewerSignIn>();
        var headers = endpoints.ServiceProvider.GetRequiredService<ReviewPageHeadersFilter>();
        endpoints.MapGet("/review/review.css", (HttpContext context) =>
        {
            headers.Apply(context.Response);
            context.Response.Headers.CacheControl = "public, max-age=3600";
            context.Response.Headers.Remove("Pragma");
            return Results.Text(ReviewAssets.Stylesheet, "text/css; charset=utf-8");
        }).AllowAnonymous();

        if (signIn.Mode == ReviewerSignInMode.NotConfigured)
        {
            // Not Development and no identity provider: say so rather than show a queue nobody can sign in to.
            endpoints.MapGet("/review/{**rest}", (HttpContext context) =>
            {
                headers.Apply(context.Response);
                return Results.Content(ReviewAssets.NotConfiguredHtml, "text/html; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable);
            });
            return endpoints;
        }

        endpoints.MapRazorPages().WithMetadata(ReportsOwnAuditSubjects.Instance);

        // An address under /review/ that no page answers (a mistyped or truncated link) is a page
        // in the queue's own style with a way back, not the API's JSON error shown as raw text.
        endpoints.MapFallback("/review/{**rest}", (HttpContext context) =>
        {
            headers.Apply(context.Response);
            return Results.Content(ReviewAssets.NotFoundHtml, "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        }).AllowAnonymous();
        return endpoints;
    }

    private static void ConfigureSession(CookieAuthenticationOptions cookie)
    {
        cookie.Cookie.Name = ".SpinePolicy.Review";
        cookie.Cookie.Path = "/review";
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Lax;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
        cookie.SlidingExpiration = true;
        cookie.AccessDeniedPath = ReviewerSchemes.AccessDeniedPath;
        cookie.ForwardChallenge = ReviewerSchemes.OpenIdConnect;
    }

    private static void ConfigureOpenIdConnect(OpenIdConnectOptions oidc, ReviewerSignIn signIn)
    {
        var options = signIn.Options;
        oidc.SignInScheme = ReviewerSchemes.Cookie;
        oidc.Authority = options.Authority;
        oidc.ClientId = options.ClientId;
        oidc.ClientSecret = string.IsNullOrEmpty(options.ClientSecret) ? null : options.ClientSecret;
        oidc.RequireHttpsMetadata = options.RequireHttpsMetadata;

        // Authorization code with PKCE, answered by redirect (query): the callback is a same-site
        // top-level GET, so the correlation and nonce cookies can stay SameSite=Lax.
        oidc.ResponseType = OpenIdConnectResponseType.Code;
        oidc.ResponseMode = OpenIdConnectResponseMode.Query;
        oidc.UsePkce = true;
        oidc.Scope.Clear();
        oidc.Scope.Add("openid");
        foreach (var scope in options.Scopes.Where(s => !string.IsNullOrWhiteSpace(s)))
        {
            oidc.Scope.Add(scope);
        }

        oidc.CallbackPath = ReviewerSchemes.CallbackPath;
        oidc.SignedOutCallbackPath = ReviewerSchemes.SignedOutCallbackPath;
        oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
        oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        oidc.NonceCookie.SameSite = SameSiteMode.Lax;
        oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        oidc.MapInboundClaims = false;
        oidc.GetClaimsFromUserInfoEndpoint = false;
        oidc.SaveTokens = false;
        oidc.TokenValidationParameters.NameClaimType = options.NameClaim;
        oidc.TokenValidationParameters.RoleClaimType = options.RoleClaim;
        oidc.Events.OnTokenValidated = context =>
        {
            // The session keeps who the reviewer is and their roles, nothing else of the ID token
            // (so the audit trail names the reviewer's subject, not this client's id).
            if (context.Principal?.Identity is ClaimsIdentity identity)
            {
                var kept = identity.Claims.Where(c => c.Type == "sub" || c.Type == "iss" || c.Type == options.NameClaim || c.Type == options.RoleClaim);
                context.Principal = new ClaimsPrincipal(new ClaimsIdentity(kept, identity.AuthenticationType, options.NameClaim, options.RoleClaim));
            }

            return Task.CompletedTask;
        };
        oidc.Events.OnRemoteFailure = context =>
        {
            // A refused or broken sign-in (user cancelled, state expired) is a page, never a 500.
            context.Response.Redirect(ReviewerSchemes.AccessDeniedPath + "?signin=failed");
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }
}
