using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace SpinePolicy.TestKit.Logging;

/// <summary>
/// Test-only middleware in front of the whole pipeline: notes the patient data in every JSON
/// request body (<see cref="PhiSightings"/>) and hands the body on unchanged.
/// </summary>
public sealed class PhiSniffingStartupFilter(PhiSightings sightings) : IStartupFilter
{
    private const long MaxSniffBytes = 2 << 20;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, proceed) =>
        {
            var request = context.Request;
            if (request.ContentLength is > 0 and <= MaxSniffBytes && request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
            {
                request.EnableBuffering();
                using var copy = new MemoryStream();
                await request.Body.CopyToAsync(copy, context.RequestAborted);
                request.Body.Position = 0;
                sightings.AddFromJson(copy.GetBuffer().AsSpan(0, (int)copy.Length));
            }

            await proceed(context);
        });
        next(app);
    };
}
