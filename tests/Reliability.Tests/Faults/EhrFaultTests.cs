using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using SpinePolicy.Reliability.Tests.Fuzzing;
using SpinePolicy.TestKit;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Reliability.Tests.Faults;

/// <summary>
/// The EHR's FHIR server misbehaves while a hook needs the member's Patient and Coverage (nothing
/// prefetched): too slow, refusing connections, failing, or answering garbage. The hook still
/// answers 200 within its fetch deadline, with a conditional coverage-information for the order.
/// </summary>
[Trait("Category", "Faults")]
public sealed class EhrFaultTests(EhrFaultTests.CrdAppFixture fixture) : IClassFixture<EhrFaultTests.CrdAppFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(600);

    /// <summary>How much longer than the deadline the whole call may take (parsing, deciding, storing).</summary>
    private static readonly TimeSpan Allowance = TimeSpan.FromSeconds(1.5);

    public enum EhrFault
    {
        SlowerThanDeadline,
        RefusesConnections,
        ServerError500,
        NotJson,
        TruncatedJson,
        WrongResourceType,
        HtmlErrorPage,
        EmptyBody200,
    }

    [Theory]
    [InlineData(EhrFault.SlowerThanDeadline)]
    [InlineData(EhrFault.RefusesConnections)]
    [InlineData(EhrFault.ServerError500)]
    [InlineData(EhrFault.NotJson)]
    [InlineData(EhrFault.TruncatedJson)]
    [InlineData(EhrFault.WrongResourceType)]
    [InlineData(EhrFault.HtmlErrorPage)]
    [InlineData(EhrFault.EmptyBody200)]
    public async Task OrderSign_EhrFault_ConditionalAnswerWithinDeadline(EhrFault fault)
    {
        using var ehr = WireMockServer.Start();
        var fhirServer = fault == EhrFault.RefusesConnections ? $"http://127.0.0.1:{ClosedPort()}/fhir" : $"{ehr.Url}/fhir";
        Arrange(ehr, fault);
        var request = ValidRequests.OrderSign(fhirServer);
        request.Remove("prefetch");

        var clock = Stopwatch.StartNew();
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await fixture.Client.PostAsync("/cds-services/order-sign-crd", content);
        clock.Stop();

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{fault}: {(int)response.StatusCode} {body}");
        Assert.True(clock.Elapsed < Deadline + Allowance, $"{fault}: took {clock.Elapsed}; EHR saw {string.Join(", ", ehr.LogEntries.Select(e => $"{e.RequestMessage.Path} {e.ResponseMessage.StatusCode}"))}");
        Assert.Equal("conditional", Covered(body, "sr-097-rel"));
    }

    private static void Arrange(WireMockServer ehr, EhrFault fault)
    {
        var any = Request.Create().WithPath("/fhir/*").UsingGet();
        var response = Response.Create();
        switch (fault)
        {
            case EhrFault.SlowerThanDeadline:
                var patient = ValidRequests.Bytes(ValidRequests.Patient());
                ehr.Given(any).RespondWith(response.WithStatusCode(200).WithHeader("Content-Type", "application/fhir+json").WithBody(patient).WithDelay(TimeSpan.FromSeconds(3)));
                break;
            case EhrFault.ServerError500:
                ehr.Given(any).RespondWith(response.WithStatusCode(500).WithBody("Internal Server Error"));
                break;
            case EhrFault.NotJson:
                ehr.Given(any).RespondWith(response.WithStatusCode(200).WithHeader("Content-Type", "application/fhir+json").WithBody("\u00ff\u00fe not { json"));
                break;
            case EhrFault.TruncatedJson:
                var truncated = ValidRequests.Bytes(ValidRequests.Patient());
                ehr.Given(any).RespondWith(response.WithStatusCode(200).WithHeader("Content-Type", "application/fhir+json").WithBody(truncated[..(truncated.Length / 2)]));
                break;
            case EhrFault.WrongResourceType:
                var wrong = ValidRequests.Bytes(new OperationOutcome { Issue = [new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Information, Code = OperationOutcome.IssueType.Informational }] });
                ehr.Given(any).RespondWith(response.WithStatusCode(200).WithHeader("Content-Type", "application/fhir+json").WithBody(wrong));
                break;
            case EhrFault.HtmlErrorPage:
                ehr.Given(any).RespondWith(response.WithStatusCode(502).WithHeader("Content-Type", "text/html").WithBody("<html><body>Bad gateway</body></html>"));
                break;
            case EhrFault.EmptyBody200:
                ehr.Given(any).RespondWith(response.WithStatusCode(200).WithHeader("Content-Type", "application/fhir+json"));
                break;
            case EhrFault.RefusesConnections:
                break;
        }
    }

    /// <summary>The "covered" code of the coverage-information on the order's system action.</summary>
    private static string? Covered(string body, string orderId)
    {
        var root = JsonNode.Parse(body)!;
        foreach (var action in root["systemActions"]?.AsArray() ?? [])
        {
            if (action?["resource"]?["id"]?.GetValue<string>() != orderId)
            {
                continue;
            }

            foreach (var extension in action["resource"]!["extension"]?.AsArray() ?? [])
            {
                var covered = extension?["extension"]?.AsArray().FirstOrDefault(e => e?["url"]?.GetValue<string>() == "covered");
                if (covered is not null)
                {
                    return covered["valueCode"]?.GetValue<string>();
                }
            }
        }

        throw new JsonException($"No coverage-information for {orderId} in: {body}");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A CRD server with a short fetch deadline and client authentication off (the EHR is the subject here).</summary>
    public sealed class CrdAppFixture : IAsyncLifetime
    {
        public SpinePolicyApp App { get; } = new(new Dictionary<string, string?>
        {
            ["CdsHooks:Authentication:Enabled"] = "false",
            ["CdsHooks:FetchDeadline"] = Deadline.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        });

        public HttpClient Client { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Client = App.CreateClient();

            // Warm up the host, the policy and the EHR client (one fetch that fails fast), so that
            // the first fault measured does not pay start-up and JIT time inside its deadline.
            using var ehr = WireMockServer.Start();
            var request = ValidRequests.OrderSign($"{ehr.Url}/fhir");
            request.Remove("prefetch");
            using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
            using var warmUp = await Client.PostAsync("/cds-services/order-sign-crd", content);
        }

        public async Task DisposeAsync()
        {
            Client.Dispose();
            await App.DisposeAsync();
        }
    }
}
