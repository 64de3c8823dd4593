using System.Buffers;
using System.Diagnostics;
using System.Net.Mime;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SpinePolicy.CdsHooks.Configuration;
using SpinePolicy.CdsHooks.Discovery;
using SpinePolicy.CdsHooks.Options;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.CdsHooks.Resolution;
using SpinePolicy.CdsHooks.Security;
using SpinePolicy.CdsHooks.Services;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Fhir.Telemetry;
using SpinePolicy.Storage;
using SpinePolicy.Storage.Auditing;

namespace SpinePolicy.CdsHooks;

/// <summary>The two CDS Hooks endpoints: discovery and service invocation (feedback: <see cref="Feedback.FeedbackHandler"/>). Every failure is a 4xx/503 with a <see cref="CdsError"/>.</summary>
internal static class CdsHooksHandlers
{
    /// <summary>Retry-After of a 503 (the database is unavailable), as the host's error mapper gives it.</summary>
    internal const string StorageRetryAfterSeconds = "5";

    public static JsonHttpResult<CdsDiscoveryDocument> Discovery(IEnumerable<ICrdHookService> services) =>
        TypedResults.Json(new CdsDiscoveryDocument(services.Select(s => s.Descriptor).ToList()), CdsJson.Options);

    public static async Task<Results<JsonHttpResult<CdsServiceResponse>, JsonHttpResult<CdsError>>> InvokeAsync(
        string id,
        HttpRequest httpRequest,
        IEnumerable<ICrdHookService> services,
        CoverageDiscovery discovery,
        EhrFhirClient ehr,
        FhirServerAllowList fhirServers,
        IOptions<CdsHooksOptions> options,
        SpinePolicyMetrics metrics,
        CancellationToken cancellationToken)
    {
        var service = services.FirstOrDefault(s => s.Descriptor.Id == id);
        if (service is null)
        {
            return Error(StatusCodes.Status404NotFound, "unknown-service", $"There is no CDS service '{id}'. GET /cds-services lists them.");
        }

        // One span per call (CoverageDiscovery adds the decisions), one latency sample per answer.
        var started = Stopwatch.GetTimestamp();
        using var span = SpinePolicyTelemetry.Source.StartActivity($"CRD {service.Descriptor.Id}");
        span?.SetTag(TelemetryTags.Hook, service.Descriptor.Id);
        var result = await AnswerAsync(service, httpRequest, discovery, ehr, fhirServers, options, cancellationToken);
        var status = result.Result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
        span?.SetTag(TelemetryTags.HttpStatus, status);
        metrics.HookAnswered(service.Descriptor.Id, status, Stopwatch.GetElapsedTime(started));
        return result;
    }

    private static async Task<Results<JsonHttpResult<CdsServiceResponse>, JsonHttpResult<CdsError>>> AnswerAsync(
        ICrdHookService service,
        HttpRequest httpRequest,
        CoverageDiscovery discovery,
        EhrFhirClient ehr,
        FhirServerAllowList fhirServers,
        IOptions<CdsHooksOptions> options,
        CancellationToken cancellationToken)
    {
        try
        {
            using var body = await ReadBodyAsync(httpRequest, options.Value.MaxRequestBytes, cancellationToken);
            var request = HookRequestParser.Parse(body.RootElement, service.Descriptor.Hook);
            var audit = httpRequest.HttpContext.Features.Get<AuditSubjects>();
            audit?.AddPatient(request.PatientId);
            CrdVersion.CheckRequested(request.Extension);
            var configuration = RequestConfiguration.Read(request.Extension, out var configurationError);
            if (configurationError is not null)
            {
                throw CdsRequestException.Invalid("invalid-configuration", configurationError, "extension.davinci-crd.configuration");
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.Value.FetchDeadline);
            // The validated token's issuer, never anything the request body says about itself.
            var issuer = httpRequest.HttpContext.User.FindFirst("iss")?.Value;
            var fhirServerAllowed = request.FhirServer is null || fhirServers.Allows(issuer, request.FhirServer);
            var data = new HookData(request, ehr, fhirServerAllowed, deadline.Token);
            var response = await discovery.AnswerAsync(service, request, configuration, data, audit, cancellationToken);
            return TypedResults.Json(response, CdsJson.Options);
        }
        catch (CdsRequestException ex)
        {
            return Error(ex.StatusCode, ex.Error, ex.Message, ex.Outcome);
        }
        catch (StorageUnavailableException)
        {
            // Same advice as every other 503 of the server: an EHR may retry the hook after this.
            httpRequest.HttpContext.Response.Headers.RetryAfter = StorageRetryAfterSeconds;
            return Error(StatusCodes.Status503ServiceUnavailable, "storage-unavailable", "The coverage decision could not be recorded; try again shortly.");
        }
    }

    /// <summary>The request body as JSON, within the size limit: 415, 413 or 400 (empty, not JSON) otherwise.</summary>
    internal static async Task<JsonDocument> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentType is { } contentType && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw new CdsRequestException(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", $"Send the hook request as {MediaTypeNames.Application.Json}.");
        }

        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        // Sized by Content-Length when the EHR sends one (at most the limit, checked above), so the
        // buffer is not regrown while it fills; the read chunk is pooled. Reading stops past the
        // limit, so a body without Content-Length (or lying about it) cannot exhaust memory.
        using var buffer = new MemoryStream(request.ContentLength is { } length and > 0 ? (int)length : 0);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        if (buffer.Length == 0)
        {
            throw CdsRequestException.Unparsable("empty-body", "The request has no body; send a CDS Hooks request as JSON.");
        }

        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            // JSON exchanged between systems is UTF-8; other bytes are not JSON text at all.
            throw CdsRequestException.Unparsable("invalid-json", "The request body is not valid UTF-8, so it is not JSON text.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException ex)
        {
            throw CdsRequestException.Unparsable("invalid-json", $"The request body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).");
        }

        // Valid JSON that FHIR's JSON rules refuse (a property twice in one object, a control
        // character in a string, half a surrogate pair): the same rules as on /fhir, answered as
        // CDS Hooks answers valid JSON it cannot accept.
        if (FhirJsonInputRules.Violation(body.Span) is { } problem)
        {
            document.Dispose();
            throw CdsRequestException.Invalid("invalid-request", problem);
        }

        return document;
    }

    private static CdsRequestException TooLarge(int maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, "request-too-large", $"The request body exceeds {maxBytes} bytes.");

    /// <summary>
    /// A refusal in the one CDS Hooks error shape: code, message and an OperationOutcome, always
    /// (the problem's own, or one issue saying the message with the type the status implies), as
    /// the host's error mapper writes every other refusal under /cds-services, so that a client
    /// parses one shape whatever the status.
    /// </summary>
    internal static JsonHttpResult<CdsError> Error(int status, string error, string message, Hl7.Fhir.Model.OperationOutcome? outcome = null) =>
        TypedResults.Json(CdsError.For(status, error, message, outcome), CdsJson.Options, statusCode: status);
}
