using System.Data.Common;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Server.Hosting;
using SpinePolicy.Storage;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Reliability.Tests.Hosting;

/// <summary>
/// The host's one exception mapper, driven directly with each exception the slices may let escape:
/// the status, the body's shape per API, Retry-After on outages, and nothing of the exception's
/// text or stack for unexpected failures.
/// </summary>
public sealed class ApiExceptionHandlerTests
{
    public static TheoryData<Exception, int> Mapped => new()
    {
        { FhirHttpException.BadRequest("Claim.use must be preauthorization."), 400 },
        { FhirHttpException.Unprocessable("The Coverage is another payer's."), 422 },
        { new InvalidDataException("form"), 400 },
        { new InvalidSearchException("tampered cursor"), 400 },
        { new UnstorableValueException(), 400 },
        { new JsonException("'<' is an invalid start of a value."), 400 },
        { new DecoderFallbackException("bad byte"), 400 },
        { new InvalidOperationException("Cannot transcode", new DecoderFallbackException()), 400 },
        { new BadHttpRequestException("too big", 413), 413 },
        { new BadHttpRequestException("Failed to read parameter"), 400 },
        { new VersionConflictException(), 409 },
        { new DuplicateKeyException(), 409 },
        { new StorageUnavailableException(), 503 },
        { new FakeDbException(), 503 },
        { new ArgumentOutOfRangeException("index", "secret detail Patient/123"), 500 },
    };

    [Theory]
    [MemberData(nameof(Mapped))]
    public async Task Fhir_Exception_MappedToStatusWithOperationOutcome(Exception exception, int status)
    {
        var (context, body) = Context("/fhir/Claim/$submit");

        Assert.True(await new ApiExceptionHandler(NullLogger<ApiExceptionHandler>.Instance).TryHandleAsync(context, exception, CancellationToken.None));

        Assert.Equal(status, context.Response.StatusCode);
        var outcome = FhirJson.Parse<OperationOutcome>(Encoding.UTF8.GetString(body.ToArray()));
        var issue = Assert.Single(outcome.Issue);
        Assert.False(string.IsNullOrWhiteSpace(issue.Diagnostics));
        Assert.Equal("no-store", context.Response.Headers.CacheControl.ToString());
        Assert.Equal(status == 503, context.Response.Headers.RetryAfter.Count == 1);
        if (status == 500)
        {
            Assert.DoesNotContain("secret", issue.Diagnostics, StringComparison.Ordinal);
            Assert.Contains("Correlation id", issue.Diagnostics, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Mapped))]
    public async Task CdsHooks_Exception_MappedToStatusWithErrorObject(Exception exception, int status)
    {
        var (context, body) = Context("/cds-services/order-sign-crd");

        await new ApiExceptionHandler(NullLogger<ApiExceptionHandler>.Instance).TryHandleAsync(context, exception, CancellationToken.None);

        Assert.Equal(status, context.Response.StatusCode);
        using var error = JsonDocument.Parse(body.ToArray());
        Assert.Equal(ApiErrorWriter.ErrorCode(status), error.RootElement.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.RootElement.GetProperty("message").GetString()));
        Assert.DoesNotContain("   at ", Encoding.UTF8.GetString(body.ToArray()), StringComparison.Ordinal);
    }

    /// <summary>
    /// A client that closes its connection mid-body: Kestrel throws "unexpected end of request
    /// content", not a cancellation. Nobody is left to answer, and writing an answer to the closed
    /// connection would throw inside the error handler (logged by the framework with a stack trace).
    /// </summary>
    [Fact]
    public async Task AbortedRequest_BodyCutShort_HandledWithoutWritingAnAnswer()
    {
        var (context, body) = Context("/cds-services/order-sign-crd");
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();
        context.RequestAborted = aborted.Token;

        var handled = await new ApiExceptionHandler(NullLogger<ApiExceptionHandler>.Instance)
            .TryHandleAsync(context, new BadHttpRequestException("Unexpected end of request content."), CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(0, body.Length);
    }

    /// <summary>
    /// Firely rejects some shapes (a JSON array, a bare string) with exceptions other than
    /// DeserializationFailedException. The host does not guess at those: the parse boundary turns
    /// every one into a 400 <see cref="FhirHttpException"/>.
    /// </summary>
    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("{\"resourceType\":[]}")]
    [InlineData("{\"resourceType\":\"Patient\",\"birthDate\":{}}")]
    public async Task FhirParseBoundary_NonResourceDocument_Becomes400(string document)
    {
        var (context, _) = Context("/fhir/Patient/$member-match");
        using var json = JsonDocument.Parse(document);

        var fromText = Assert.Throws<FhirHttpException>(() => FhirJson.Parse<Resource>(document));
        Assert.Throws<FhirHttpException>(() => FhirJson.ParseElement(json.RootElement));
        await new ApiExceptionHandler(NullLogger<ApiExceptionHandler>.Instance).TryHandleAsync(context, fromText, CancellationToken.None);

        Assert.Equal(400, context.Response.StatusCode);
    }

    /// <summary>
    /// A version conflict is the client's failed precondition (412) only when it sent If-Match;
    /// without one, someone else's change got in between (409), and the answer never speaks of an
    /// If-Match the client did not send.
    /// </summary>
    [Theory]
    [InlineData(null, 409)]
    [InlineData("W/\"1\"", 412)]
    public async Task Fhir_VersionConflict_412OnlyWhenTheClientSentIfMatch(string? ifMatch, int status)
    {
        var (context, body) = Context("/fhir/Subscription/abc");
        if (ifMatch is not null)
        {
            context.Request.Headers.IfMatch = ifMatch;
        }

        await new ApiExceptionHandler(NullLogger<ApiExceptionHandler>.Instance).TryHandleAsync(context, new VersionConflictException(), CancellationToken.None);

        Assert.Equal(status, context.Response.StatusCode);
        var issue = Assert.Single(FhirJson.Parse<OperationOutcome>(Encoding.UTF8.GetString(body.ToArray())).Issue);
        Assert.Equal(OperationOutcome.IssueType.Conflict, issue.Code);
        Assert.Equal(ifMatch is not null, issue.Diagnostics!.Contains("If-Match", StringComparison.Ordinal));
    }

    private static (DefaultHttpContext Context, MemoryStream Body) Context(string path)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var body = new MemoryStream();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Path = path;
        context.Response.Body = body;
        return (context, body);
    }

    private sealed class FakeDbException() : DbException("connection refused");
}
