using Microsoft.Extensions.Options;
using SpinePolicy.CdsHooks;
using SpinePolicy.DtrApp;
using SpinePolicy.FhirQuestionnaire;
using SpinePolicy.FhirRest;
using SpinePolicy.PriorAuthorization;
using SpinePolicy.PriorAuthorization.Impact;
using SpinePolicy.PriorAuthorization.Metrics;
using SpinePolicy.ReviewQueue;
using SpinePolicy.Server;
using SpinePolicy.Server.Hosting;
using SpinePolicy.Server.Hosting.DataProtection;

IConfiguration? configuration = null;
try
{
    var builder = WebApplication.CreateBuilder(args);
    configuration = builder.Configuration;

    builder.AddServerDefaults();
    builder.Services.AddPolicy(builder.Configuration, builder.Environment);
    builder.Services.AddStorage(builder.Configuration);
    builder.Services.AddCdsHooks(builder.Configuration);
    builder.Services.AddDtr(builder.Configuration);
    builder.Services.AddPas(builder.Configuration);
    builder.Services.AddFhirRest(builder.Configuration);
    builder.Services.AddDtrApp(builder.Configuration).AllowDtrAppPayerSignIn();
    builder.Services.AddReviewQueue(builder.Configuration, builder.Environment);

    var app = builder.Build();
    if (PriorAuthorizationReportCommand.IsInvocation(args))
    {
        // The yearly filing: read the configured database, write the report, serve nothing.
        app.Services.GetService<IStartupValidator>()?.Validate();
        await app.InitializeStorageAsync();
        return await PriorAuthorizationReportCommand.RunAsync(app.Services, args, Console.Out, Console.Error, CancellationToken.None);
    }

    if (PolicyDiffCommand.IsInvocation(args))
    {
        // Policy impact: re-decide the stored requests under a candidate version, change nothing, serve nothing.
        app.Services.GetService<IStartupValidator>()?.Validate();
        await app.InitializeStorageAsync();
        return await PolicyDiffCommand.RunAsync(app.Services, args, Console.Out, Console.Error, CancellationToken.None);
    }

    app.UseServerDefaults();
    app.MapHealth();
    app.MapCdsHooks();
    var fhir = app.MapFhirApi();
    fhir.MapDtr();
    fhir.MapPas();
    fhir.MapFhirRest();
    app.MapDtrApp();
    app.MapReviewQueue();
    app.MapPriorAuthorizationMetrics();

    // Settings first (they name what to fix), then the database they point at.
    app.Services.GetService<IStartupValidator>()?.Validate();
    await app.InitializeStorageAsync();
    await app.EnsureFirstKeyAsync();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupFailure.IsOwnProcess && ex is not HostAbortedException)
{
    var (exitCode, message) = StartupFailure.Describe(ex, configuration);
    await Console.Error.WriteLineAsync(message);
    return exitCode;
}

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
