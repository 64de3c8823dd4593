using System.Threading.Channels;
using AuditEvent = Hl7.Fhir.Model.AuditEvent;
using SpinePolicy.Fhir.Telemetry;
using SpinePolicy.Storage;

namespace SpinePolicy.Server.Hosting.Audit;

/// <summary>
/// Writes AuditEvents in the background, many per transaction (group commit), so that a request
/// no longer waits for its own fsync'd audit write queued behind every other write. Measured: the
/// synchronous write tripled the cost of a CDS hook (docs/benchmarks.md).
/// The queue is bounded and a full queue makes requests wait (back-pressure), so records are not
/// dropped under load; on shutdown the queue is drained. What this trades: an audit record is
/// durable shortly after the response rather than before it, so a crash can lose the records of
/// the last few milliseconds — never a decision, which its slice writes synchronously.
/// </summary>
public sealed partial class AuditWriter : BackgroundService
{
    public const int QueueCapacity = 10_000;
    private const int MaxBatch = 256;
    private const int MaxAttempts = 5;

    private readonly Channel<AuditEvent> _queue = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    private readonly IResourceStore _store;
    private readonly ILogger<AuditWriter> _logger;

    public AuditWriter(IResourceStore store, SpinePolicyMetrics metrics, ILogger<AuditWriter> logger)
    {
        _store = store;
        _logger = logger;
        metrics.ObserveAuditQueue(() => QueueDepth);
    }

    /// <summary>Records accepted and not yet written.</summary>
    public int QueueDepth => _queue.Reader.Count;

    public ValueTask EnqueueAsync(AuditEvent audit, CancellationToken cancellationToken) => _queue.Writer.WriteAsync(audit, cancellationToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Accept nothing more, then let ExecuteAsync drain what is queued.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<ResourceWrite>(MaxBatch);
        // The loop ends when the queue is completed and empty, not on the stopping token, so
        // that records queued before shutdown are still written.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var audit))
            {
                batch.Add(new ResourceWrite(audit));
            }

            await WriteWithRetryAsync(batch);
            batch.Clear();
        }
    }

    private async Task WriteWithRetryAsync(List<ResourceWrite> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _store.SaveAsync(batch, CancellationToken.None);
                return;
            }
            catch (Exception ex) when (attempt < MaxAttempts && ex is StorageUnavailableException or TimeoutException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
            catch (Exception ex)
            {
                LogBatchLost(_logger, batch.Count, ex.GetType().Name);
                return;
            }
        }
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Error, Message = "Could not write {Count} audit records ({ExceptionType})")]
    private static partial void LogBatchLost(ILogger logger, int count, string exceptionType);
}
