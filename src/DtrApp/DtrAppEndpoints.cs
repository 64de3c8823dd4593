using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace SpinePolicy.DtrApp;

/// <summary>
/// The payer-hosted DTR SMART app: /dtr/launch starts a SMART App Launch 2.0 (EHR or standalone),
/// /dtr/ runs the form, /dtr/assets/ serves the built scripts, styles and fonts.
/// </summary>
public static class DtrAppEndpoints
{
    public const string AssetsFolder = "dtr-app";

    public static IServiceCollection AddDtrApp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DtrAppOptions>()
            .Bind(configuration.GetSection(DtrAppOptions.SectionName))
            .Validate(o => o.Problem() is null, $"{DtrAppOptions.SectionName}: ClientId and PayerClientId are required, and AllowedIssuers, ConnectOrigins and FrameAncestors must be absolute http(s) URLs.")
            .ValidateOnStart();
        services.TryAddSingleton(new PayerSignIn(Required: false));
        services.AddSingleton(sp => new DtrPageSecurity(sp.GetRequiredService<IOptions<DtrAppOptions>>().Value, sp.GetRequiredService<IHostEnvironment>()));
        return services;
    }

    public static IEndpointRouteBuilder MapDtrApp(this IEndpointRouteBuilder endpoints)
    {
        var files = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, AssetsFolder));
        var contentTypes = new FileExtensionContentTypeProvider();
        var app = endpoints.MapGroup("/dtr").WithTags("DTR app");

        app.MapGet("/", (HttpContext context, IOptions<DtrAppOptions> options, PayerSignIn payerSignIn, DtrPageSecurity security) =>
            Page(context, options.Value, payerSignIn, security, DtrPages.App));
        app.MapGet("/launch", (HttpContext context, IOptions<DtrAppOptions> options, PayerSignIn payerSignIn, DtrPageSecurity security) =>
        {
            // Refused before the launch script can start an authorization (see DtrLaunchCheck).
            if (DtrLaunchCheck.UntrustedIssuer(context.Request.Query, options.Value) is { } issuer)
            {
                return Refusal(context, security, DtrPages.UntrustedIssuer(Assets(context), issuer));
            }

            if (DtrLaunchCheck.ForeignClientId(context.Request.Query, options.Value))
            {
                return Refusal(context, security, DtrPages.ForeignClientId(Assets(context)));
            }

            return Page(context, options.Value, payerSignIn, security, DtrPages.Launch);
        });

        app.MapGet("/assets/{**path}", (string path, HttpResponse response) =>
        {
            // PhysicalFileProvider refuses paths that leave its root ("..", absolute paths).
            var file = files.GetFileInfo(path);
            if (!file.Exists || file.IsDirectory || file.PhysicalPath is null || !contentTypes.TryGetContentType(file.Name, out var contentType))
            {
                return Results.NotFound();
            }

            // Fixed names, so browsers revalidate each time (the ETag makes that a 304).
            response.Headers.CacheControl = "no-cache";
            var tag = new EntityTagHeaderValue($"\"{file.LastModified.UtcTicks:x}-{file.Length:x}\"");
            return Results.File(file.PhysicalPath, contentType, lastModified: file.LastModified, entityTag: tag);
        });
        return endpoints;
    }

    /// <summary>A 400 page without any script, under the app's own strict headers.</summary>
    private static IResult Refusal(HttpContext context, DtrPageSecurity security, string html)
    {
        security.Apply(context.Response);
        return Results.Content(html, "text/html; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
    }

    private static IResult Page(HttpContext context, DtrAppOptions options, PayerSignIn payerSignIn, DtrPageSecurity security, Func<string, string, string> page)
    {
        security.Apply(context.Response);
        var pathBase = context.Request.PathBase.Value ?? "";
        var html = page(Assets(context), DtrPages.Settings(options, payerSignIn, pathBase));
        return Results.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>Where the pages find the app's scripts and styles, HTML-encoded for an attribute.</summary>
    private static string Assets(HttpContext context) => $"{DtrPages.Encode(context.Request.PathBase.Value ?? "")}/dtr/assets";
}
