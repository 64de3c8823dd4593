namespace SpinePolicy.Server;

/// <summary>Cross-cutting host settings: limits, error handling, security headers.</summary>
public static class ServerDefaults
{
    public static WebApplicationBuilder AddServerDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        return builder;
    }

    public static WebApplication UseServerDefaults(this WebApplication app)
    {
        return app;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "alive" }));
        return app;
    }
}
