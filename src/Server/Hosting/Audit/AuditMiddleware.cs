using SpinePolicy.Storage.Auditing;

namespace SpinePolicy.Server.Hosting.Audit;

/// <summary>
/// Records every FHIR read/search/operation and every CDS Hooks decision as a FHIR AuditEvent in
/// the resource store. It is the only place audit records are written, and they never go to the
/// application log (which must stay free of patient data). The record is made after the endpoint
/// has answered and handed to <see cref="AuditWriter"/>, which commits records in batches, so a
/// slow or failing audit write never changes the answer; a failure is logged by type only.
/// Endpoints marked <see cref="ReportsOwnAuditSubjects"/> fill the request's <see cref="AuditSubjects"/>
/// themselves; for the others the request and response JSON are scanned.
/// A refusal for lack of rights (403) is recorded with the caller, the interaction and the resource
/// type only (outcome 4, minor failure): the request was refused, so no member or resource id it
/// named belongs in the trail as something it touched. A 401 (no valid token: nobody to name), a
/// 429 (the flood the limiter stops) and an anonymous browser's redirect to sign-in are not
/// recorded, else a flood of them would flood the store. A request the client abandoned is
/// recorded as <see cref="ClientClosedRequest"/> (499, minor failure) with what the endpoint had
/// touched by then, not as the 500 nobody was sent.
/// </summary>
internal sealed partial class AuditMiddleware(RequestDelegate next, ILogger<AuditMiddleware> logger, TimeProvider clock)
{
    private const int ResponseCaptureLimit = 4 << 20;
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(5);
    private static readonly string[] QueryParametersNamingAMember = ["patient", "subject", "beneficiary", "patient:Patient"];

    public async Task InvokeAsync(HttpContext context)
    {
        if (AuditedInteraction.Of(context.Request) is not { } interaction
            || context.RequestServices.GetService<AuditWriter>() is not { } writer)
        {
            await next(context);
            return;
        }

        var subjects = new AuditSubjects();
        if (context.GetEndpoint()?.Metadata.GetMetadata<ReportsOwnAuditSubjects>() is not null)
        {
            await InvokeReportingEndpointAsync(context, writer, interaction, subjects);
            return;
        }

        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method))
        {
            request.EnableBuffering();
        }

        var originalBody = context.Response.Body;
        using var capture = new CapturingWriteStream(originalBody, ResponseCaptureLimit);
        context.Response.Body = capture;
        int status;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        catch (Exception ex)
        {
            // The host-wide handler answers further out; record the status it will send.
            status = StatusOf(ex, context);
            await ScanAndWriteAsync(context, writer, interaction, subjects, capture, status);
            throw;
        }
        finally
        {
            context.Response.Body = originalBody;
        }

        await ScanAndWriteAsync(context, writer, interaction, subjects, capture, status);
    }

    private async Task InvokeReportingEndpointAsync(HttpContext context, AuditWriter writer, AuditedInteraction interaction, AuditSubjects subjects)
    {
        context.Features.Set(subjects);
        int status;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        catch (Exception ex)
        {
            status = StatusOf(ex, context);
            await WriteAsync(context, writer, interaction, subjects, status);
            throw;
        }

        await WriteAsync(context, writer, interaction, subjects, status);
    }

    /// <summary>What an escaping exception will be answered with, or 499 when the client has gone and nothing will be.</summary>
    private static int StatusOf(Exception exception, HttpContext context) =>
        ClientClosedRequest.Caused(exception, context)
            ? ClientClosedRequest.StatusCode
            : ApiExceptionHandler.Classify(exception, context.Request).StatusCode;

    private async Task ScanAndWriteAsync(HttpContext context, AuditWriter writer, AuditedInteraction interaction, AuditSubjects subjects, CapturingWriteStream capture, int status)
    {
        try
        {
            subjects.AddFromJson(await ReadRequestBodyAsync(context.Request));
            subjects.AddFromJson(capture.Captured);
        }
        catch (Exception ex)
        {
            LogAuditWriteFailed(logger, ex.GetType().Name, interaction.Interaction);
        }

        await WriteAsync(context, writer, interaction, subjects, status);
    }

    private async Task WriteAsync(HttpContext context, AuditWriter writer, AuditedInteraction interaction, AuditSubjects subjects, int status)
    {
        var caller = CallerIdentity.Of(context);
        if (status is StatusCodes.Status401Unauthorized or StatusCodes.Status429TooManyRequests
            || (status is >= 300 and < 400 && !caller.IsAuthenticated))
        {
            // Not recorded: no valid token, the limiter's flood, a browser sent to sign in first.
            return;
        }

        try
        {
            Hl7.Fhir.Model.AuditEvent audit;
            if (status == StatusCodes.Status403Forbidden)
            {
                // Who tried which interaction on which resource type; no ids, no query, no members.
                audit = AuditEventFactory.Create(interaction with { ResourceId = null }, caller, new AuditSubjects(), queryString: null, status, clock.GetUtcNow());
            }
            else
            {
                if (interaction.ResourceType == "Patient" && interaction.ResourceId is { } patientId)
                {
                    subjects.AddPatient(patientId);
                }

                AddFromQuery(subjects, context.Request.Query);
                audit = AuditEventFactory.Create(interaction, caller, subjects, context.Request.QueryString.Value?.TrimStart('?'), status, clock.GetUtcNow());
            }

            using var timeout = new CancellationTokenSource(WriteTimeout);
            await writer.EnqueueAsync(audit, timeout.Token);
        }
        catch (Exception ex)
        {
            LogAuditWriteFailed(logger, ex.GetType().Name, interaction.Interaction);
        }
    }

    /// <summary>The search parameters that name a member.</summary>
    private static void AddFromQuery(AuditSubjects subjects, IQueryCollection query)
    {
        foreach (var name in QueryParametersNamingAMember)
        {
            foreach (var value in query[name])
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    subjects.AddPatient(value.StartsWith("Patient/", StringComparison.Ordinal) ? value["Patient/".Length..] : value);
                }
            }
        }
    }

    private static async Task<ReadOnlyMemory<byte>> ReadRequestBodyAsync(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || !request.Body.CanSeek)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        try
        {
            request.Body.Position = 0;
            using var copy = new MemoryStream();
            using var timeout = new CancellationTokenSource(WriteTimeout);
            await request.Body.CopyToAsync(copy, timeout.Token);
            return copy.GetBuffer().AsMemory(0, (int)copy.Length);
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException or OperationCanceledException or InvalidOperationException)
        {
            // Oversized or aborted bodies were rejected; nothing to read back.
            return ReadOnlyMemory<byte>.Empty;
        }
    }

    [LoggerMessage(EventId = 9100, Level = LogLevel.Error, Message = "Could not write the audit record for a {Interaction} ({ExceptionType})")]
    private static partial void LogAuditWriteFailed(ILogger logger, string exceptionType, string interaction);
}
