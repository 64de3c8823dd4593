namespace SpinePolicy.Server.Hosting.Audit;

/// <summary>
/// A request the client gave up on (a closed tab, a stopped load generator, a dropped connection)
/// before the answer. No status is sent then (<see cref="ApiExceptionHandler"/> writes nothing to a
/// closed connection), so the audit trail records the 499 convention ("client closed request")
/// rather than the 500 the escaping cancellation would otherwise be mistaken for.
/// </summary>
internal static class ClientClosedRequest
{
    public const int StatusCode = StatusCodes.Status499ClientClosedRequest;

    public const string Description = "Client closed the request before the answer (499; no HTTP status was sent)";

    /// <summary>
    /// True when the exception is what a departing client leaves behind: the request's abort token
    /// fired and the exception is a cancellation, a broken connection, or Kestrel's "unexpected end
    /// of request content". Any other exception stays a server failure even then: a bug that
    /// coincides with a disconnect must still show as one, and so must a timeout of our own (an
    /// outgoing call given up on surfaces as a cancellation caused by a <see cref="TimeoutException"/>),
    /// or a caller could turn it into a quiet 499 by hanging up at the right moment.
    /// </summary>
    public static bool Caused(Exception exception, HttpContext context) =>
        context.RequestAborted.IsCancellationRequested
        && exception switch
        {
            OperationCanceledException { InnerException: TimeoutException } => false,
            OperationCanceledException or IOException or BadHttpRequestException => true,
            _ => false,
        };
}
