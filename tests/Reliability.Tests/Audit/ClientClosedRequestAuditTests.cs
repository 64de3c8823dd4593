using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.Fhir;
using SpinePolicy.Reliability.Tests.Fuzzing;
using SpinePolicy.Storage;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Postgres;
using SpinePolicy.TestKit.Security;
using SpinePolicy.TestKit.Storage;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Reliability.Tests.Audit;

/// <summary>
/// A client that goes away mid-request (a closed tab during Claim/$submit, a load generator
/// stopped) was sent no answer at all: the audit trail says so (499, minor failure), keeps the
/// member the request was about, and does not raise the "HTTP 500" an operator alerts on.
/// </summary>
public sealed class ClientClosedRequestAuditTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Submit_ClientClosesWhileTheDecisionIsBeingSaved_AuditedAsClientClosedWithTheMember(string provider)
    {
        var settings = new Dictionary<string, string?>();
        if (provider == "Postgres")
        {
            settings["Storage:Provider"] = "Postgres";
            settings["Storage:Postgres:ConnectionString"] = await PostgresCluster.CreateSharedDatabaseAsync();
        }

        var interference = new StoreInterference();
        await using var app = new SpinePolicyApp(settings);
        await using var factory = app.WithWebHostBuilder(builder => builder.ConfigureTestServices(interference.Install));

        // The request has been read and its member named when the decision reaches the store; the
        // client gives up there, and the save then runs on the request's cancelled token.
        await SubmitAndLeaveWhileSavingAsync(factory, interference, $"leaver-{provider}", () => Task.CompletedTask);

        var audit = await FindAuditAsync(factory, a => a.Subtype.Any(s => s.Code == "$submit"));
        Assert.Equal(AuditEvent.AuditEventOutcome.N4, audit.Outcome);
        Assert.DoesNotContain("500", audit.OutcomeDesc, StringComparison.Ordinal);
        Assert.Contains("client closed", audit.OutcomeDesc, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(TestTokens.DefaultFhirClientId, audit.Agent.Single(a => a.Requestor == true).Who!.Identifier!.Value);
        Assert.Contains(audit.Entity, e => e.What?.Reference == $"Patient/{ValidRequests.PatientId}");
    }

    /// <summary>
    /// A failure of ours that happens to coincide with the client leaving is still a failure: a bug
    /// (any exception but a cancellation or a broken connection) or a timeout of our own (an
    /// outgoing call given up on: a cancellation caused by a TimeoutException). A caller must not be
    /// able to turn one into a quiet "client closed" by dropping the connection at the right time:
    /// the audit trail says 500, and a bug is logged as an error with its correlation id, as without the abort.
    /// </summary>
    [Theory]
    [InlineData("bug")]
    [InlineData("timeout")]
    public async Task Submit_OurFailureWhileTheClientLeaves_AuditedAndLoggedAsAServerFailure(string failure)
    {
        var interference = new StoreInterference();
        await using var app = new SpinePolicyApp();
        await using var factory = app.WithWebHostBuilder(builder => builder.ConfigureTestServices(interference.Install));
        await SubmitAndLeaveWhileSavingAsync(factory, interference, $"failure-{failure}", () => throw (failure == "bug"
            ? new InvalidOperationException("a bug that fires as the client leaves")
            : new TaskCanceledException("an outgoing call timed out", new TimeoutException())));

        var audit = await FindAuditAsync(factory, a => a.Subtype.Any(s => s.Code == "$submit"));
        Assert.Equal(AuditEvent.AuditEventOutcome.N8, audit.Outcome);
        Assert.Contains("500", audit.OutcomeDesc, StringComparison.Ordinal);
        if (failure == "bug")
        {
            // (A cancellation never reaches the host's handler once the client has gone: the
            // framework's exception-handler middleware drops it; the audit trail above is the record.)
            Assert.Contains(app.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error && e.EventId.Id == 9000);
        }
    }

    /// <summary>
    /// Submits a PAS request, lets the client hang up once the decision reaches the store, then lets
    /// the save go on (and do <paramref name="thenInTheSave"/>); the client sees only its cancellation.
    /// </summary>
    private static async Task SubmitAndLeaveWhileSavingAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory, StoreInterference interference, string claimId, Func<Task> thenInTheSave)
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.MintFhirToken(["system/*.*"]));
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        interference.BeforeNextSave(writes => writes.Any(w => w.Resource.TypeName == "ClaimResponse"), async () =>
        {
            reached.SetResult();
            await release.Task;
            await thenInTheSave();
        });
        using var leaving = new CancellationTokenSource();
        using var content = new ByteArrayContent(ValidRequests.Bytes(ValidRequests.PasRequest(claimId)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json");
        var submit = client.PostAsync(new Uri("/fhir/Claim/$submit", UriKind.Relative), content, leaving.Token);
        await reached.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await leaving.CancelAsync();
        release.SetResult();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => submit.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    private static async Task<AuditEvent> FindAuditAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app, Func<AuditEvent, bool> match)
    {
        var store = app.Services.GetRequiredService<IResourceStore>();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var page = await store.SearchAsync(new ResourceSearch("AuditEvent") { Count = 100 }, CancellationToken.None);
            if (page.Resources.Select(r => FhirJson.Parse<AuditEvent>(r.Json)).FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException("No AuditEvent of the abandoned request was stored.");
    }
}
