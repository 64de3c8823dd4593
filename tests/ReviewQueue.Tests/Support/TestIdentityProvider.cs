using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SpinePolicy.ReviewQueue.Tests.Support;

/// <summary>
/// A real OpenID Connect provider (OpenIddict) on a loopback port, playing the payer's workforce
/// identity provider: discovery, JWKS, an authorization endpoint with a sign-in form, and a token
/// endpoint issuing signed ID tokens for the authorization code flow with PKCE. It knows one
/// client (the queue) and a few users; the "roles" claim carries their roles.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "spinepolicy-review";

    /// <summary>Users by the name typed into the sign-in form: subject, display name, roles.</summary>
    public static readonly IReadOnlyDictionary<string, (string Subject, string Name, string[] Roles)> Users = new Dictionary<string, (string, string, string[])>(StringComparer.Ordinal)
    {
        ["rita"] = ("reviewer-rita-7", "Rita Reviewer", ["reviewer"]),
        ["carl"] = ("clerk-carl-2", "Carl Clerk", ["intake-clerk"]),
    };

    private readonly WebApplication _app;

    private TestIdentityProvider(WebApplication app, string issuer)
    {
        _app = app;
        Issuer = issuer;
    }

    /// <summary>The issuer URL (http://127.0.0.1:port/).</summary>
    public string Issuer { get; }

    /// <summary>Redirect URIs the client may use; set once the queue's server has its port.</summary>
    public HashSet<string> RedirectUris { get; } = new(StringComparer.Ordinal);

    public static async Task<TestIdentityProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        TestIdentityProvider? self = null;
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            server.RegisterScopes(Scopes.OpenId, Scopes.Profile);
            server.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            server.DisableAccessTokenEncryption();

            // No stores: this provider checks its one client itself.
            server.EnableDegradedMode();
            server.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            server.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId)
                {
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                }
                else if (context.RedirectUri is null || !self!.RedirectUris.Contains(context.RedirectUri))
                {
                    context.Reject(Errors.InvalidRequest, "Unregistered redirect_uri.");
                }

                return default;
            }));
            server.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId)
                {
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                }

                return default;
            }));
        });

        var app = builder.Build();
        app.MapMethods("/connect/authorize", ["GET", "POST"], AuthorizeAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new TestIdentityProvider(app, address.TrimEnd('/') + "/");
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Shows the sign-in form; on its submission signs the named user in and returns the code.</summary>
    private static IResult AuthorizeAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var username = HttpMethods.IsPost(context.Request.Method) ? context.Request.Form["username"].ToString() : null;
        if (username is null || !Users.TryGetValue(username, out var user))
        {
            return Results.Content(SignInForm(request, username is null ? null : "Unknown user."), "text/html; charset=utf-8");
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject).SetClaim(Claims.Name, user.Name).SetClaims("roles", [.. user.Roles]);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.IdentityToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static string SignInForm(OpenIddictRequest request, string? error)
    {
        var hidden = string.Concat(request.GetParameters().Select(p =>
            $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(p.Key)}\" value=\"{WebUtility.HtmlEncode(p.Value.ToString())}\">"));
        return $"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Payer sign-in</title></head>
            <body><main><h1>Payer workforce sign-in</h1>{(error is null ? "" : $"<p role=\"alert\">{error}</p>")}
            <form method="post" action="/connect/authorize">{hidden}
            <label for="username">Username</label> <input id="username" name="username" autocomplete="username">
            <button type="submit">Sign in</button></form></main></body></html>
            """;
    }
}
