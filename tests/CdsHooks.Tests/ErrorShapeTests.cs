using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hl7.Fhir.Model;
using SpinePolicy.CdsHooks.Tests.Support;
using SpinePolicy.TestKit.Security;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.CdsHooks.Tests;

/// <summary>
/// Every refusal under /cds-services has one body shape, whoever writes it (a service, the
/// feedback endpoint, routing, the host's limits): <c>{error, message, operationOutcome}</c>, the
/// OperationOutcome saying the same problem with an issue type that fits the status. A body that
/// is not JSON (400) and an unknown service (404) used to come without the OperationOutcome.
/// </summary>
public sealed class ErrorShapeTests(CrdApp app) : IClassFixture<CrdApp>
{
    private const string Service = "order-sign-crd";

    public static TheoryData<string, string, string?, string, HttpStatusCode, string, OperationOutcome.IssueType> Refusals => new()
    {
        { "POST", Service, "application/json", "{\"hook\": \"order-sign\", ", HttpStatusCode.BadRequest, "invalid-json", OperationOutcome.IssueType.Structure },
        { "POST", Service, "application/json", "", HttpStatusCode.BadRequest, "empty-body", OperationOutcome.IssueType.Structure },
        { "POST", Service + "/feedback", "application/json", "{\"feedback\": ", HttpStatusCode.BadRequest, "invalid-json", OperationOutcome.IssueType.Structure },
        { "POST", Service + "/feedback", "application/json", "{\"feedback\": 3}", HttpStatusCode.BadRequest, "invalid-feedback", OperationOutcome.IssueType.Invalid },
        { "POST", "no-such-service", "application/json", "{}", HttpStatusCode.NotFound, "unknown-service", OperationOutcome.IssueType.NotFound },
        { "POST", "no-such-service/feedback", "application/json", "{}", HttpStatusCode.NotFound, "unknown-service", OperationOutcome.IssueType.NotFound },
        { "POST", Service, "application/x-www-form-urlencoded", "hook=order-sign", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type", OperationOutcome.IssueType.NotSupported },
        { "POST", Service + "/feedback", "text/plain", "feedback", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type", OperationOutcome.IssueType.NotSupported },
        { "GET", Service, null, "", HttpStatusCode.MethodNotAllowed, "method-not-allowed", OperationOutcome.IssueType.NotSupported },
        { "PUT", Service + "/feedback", "application/json", "{}", HttpStatusCode.MethodNotAllowed, "method-not-allowed", OperationOutcome.IssueType.NotSupported },
        { "POST", Service + "/feedback/more", "application/json", "{}", HttpStatusCode.NotFound, "not-found", OperationOutcome.IssueType.NotFound },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refusal_AnyStatus_ErrorMessageAndOperationOutcome(string method, string path, string? contentType, string body, HttpStatusCode status, string error, OperationOutcome.IssueType issueType)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/cds-services/{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.MintCdsHooksToken(CrdApp.ServiceUrl(path)));
        if (contentType is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using var response = await app.Client.SendAsync(request);
        var call = await CrdCall.ReadAsync(response);

        Assert.True(status == call.Status, call.ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(error, call.Error);
        Assert.False(string.IsNullOrWhiteSpace(call.Message));
        var issue = Assert.Single(Assert.IsType<OperationOutcome>(call.Outcome).Issue);
        Assert.Equal(OperationOutcome.IssueSeverity.Error, issue.Severity);
        Assert.Equal(issueType, issue.Code);
        Assert.Equal(call.Message, issue.Diagnostics);
    }
}
