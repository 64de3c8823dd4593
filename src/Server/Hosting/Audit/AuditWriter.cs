using System.Threading.Channels;
using AuditEvent = Hl7.Fhir.Model.AuditEvent;
using SpinePolicy.Fhir.Telemetry;
using SpinePolicy.Storage;

namespace SpinePolicy.Server.Hosting.Audit;

/// <summary>
/// Writes AuditEvents in the background, many per transaction (group commit), so that a request
/// no longer waits for its own fsync'd audit write queued behind every other write. Measured: the
/// synchronous write tripled the cost of a CDS hook (docs/benchmarks.md).
/// No record of an answered request is lost: while the database is unavailable the writer keeps
/// retrying (backing off to every <see cref="MaxBackoff"/>); what it still holds when the instance
/// stops, what a full queue cannot take in time, and what the database refuses outright goes to the
/// local <see cref="AuditJournal"/>, which this or another instance writes to the database later
/// (at start and after each spill). What this trades: a record is durable shortly after the
/// response rather than before it, so a machine crash (not a stop) can lose the last few
/// milliseconds of records — never a decision, which its slice writes synchronously.
/// </summary>
internal sealed partial class AuditWriter : BackgroundService
{
    /// <summary>
    /// Records held in memory before requests wait. Under a load the database cannot keep up with,
    /// the queue stays full, and a full queue of 10,000 Firely AuditEvents took the server from 280
    /// to 417 MB (3,000 searches/s, docs/benchmarks.md); at 2,000 it peaked at 312 MB. 2,000 still
    /// absorbs most of a second of that load; beyond it requests wait (back-pressure) and then the
    /// journal takes the record, so nothing is lost by the smaller queue.
    /// </summary>
    public const int QueueCapacity = 2_000;
    private const int MaxBatch = 256;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan EnqueueWait = TimeSpan.FromSeconds(5);

    private readonly Channel<AuditEvent> _queue = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    private readonly IResourceStore _store;
    private readonly AuditJournal _journal;
    private readonly ILogger<AuditWriter> _logger;

    public AuditWriter(IResourceStore store, AuditJournal journal, SpinePolicyMetrics metrics, ILogger<AuditWriter> logger)
    {
        _store = store;
        _journal = journal;
        _logger = logger;
        metrics.ObserveAuditQueue(() => QueueDepth);
    }

    /// <summary>Records accepted and not yet written.</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>
    /// Queues a record; a full queue makes the request wait a little (back-pressure), and a record
    /// it still cannot take, or one arriving after the writer stopped, goes to the journal.
    /// </summary>
    public async ValueTask EnqueueAsync(AuditEvent audit, CancellationToken cancellationToken)
    {
        if (_queue.Writer.TryWrite(audit))
        {
            return;
        }

        try
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(EnqueueWait);
            await _queue.Writer.WriteAsync(audit, wait.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            _journal.Spill([audit]);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Accept nothing more, then let ExecuteAsync drain what is queued (or spill it).
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        await ReplayJournalAsync(stoppingToken);
        var batch = new List<AuditEvent>(MaxBatch);

        // The loop ends when the queue is completed and empty, not on the stopping token, so
        // that records queued before shutdown are still written (or spilled).
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var audit))
            {
                batch.Add(audit);
            }

            var outcome = await WriteAsync(batch, stoppingToken);
            if (outcome != BatchOutcome.Written)
            {
                SpillOrReport(batch);
            }

            batch.Clear();
            if (!stoppingToken.IsCancellationRequested && _journal.HasSpilled)
            {
                await ReplayJournalAsync(stoppingToken);
            }
        }
    }

    /// <summary>
    /// Keeps a batch in the journal. A journal that cannot be written (disk full, no permission)
    /// is reported with the count lost, never allowed to stop the writer and with it the host.
    /// </summary>
    private void SpillOrReport(List<AuditEvent> batch)
    {
        try
        {
            _journal.Spill(batch);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var failure = ex.GetType().Name;
            LogBatchLost(_logger, batch.Count, failure);
        }
    }

    /// <summary>Writes what the journal holds (this instance's spills and any other's left in the folder).</summary>
    private async Task ReplayJournalAsync(CancellationToken stoppingToken)
    {
        IReadOnlyList<string> claims;
        try
        {
            claims = _journal.ClaimAll();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogJournalUnreadable(_logger, ex.GetType().Name);
            return;
        }

        foreach (var claim in claims)
        {
            try
            {
                await ReplayAsync(claim, stoppingToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The file stays claimed; an instance takes the claim over once it is old enough.
                LogJournalUnreadable(_logger, ex.GetType().Name);
            }
        }
    }

    private async Task ReplayAsync(string claim, CancellationToken stoppingToken)
    {
        IReadOnlyList<AuditEvent> records;
        try
        {
            records = AuditJournal.Read(claim);
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException)
        {
            _journal.Reject(claim, $"unreadable ({ex.GetType().Name})");
            return;
        }

        switch (await WriteAsync(records, stoppingToken))
        {
            case BatchOutcome.Written:
                AuditJournal.Written(claim);
                break;
            case BatchOutcome.Refused:
                _journal.Reject(claim, "the database refused its records");
                break;
            default:
                _journal.Release(claim);
                break;
        }
    }

    /// <summary>
    /// Writes a batch, retrying while the database is unavailable until it takes the batch or the
    /// instance stops (then the caller keeps the batch in the journal).
    /// </summary>
    private async Task<BatchOutcome> WriteAsync(IReadOnlyList<AuditEvent> batch, CancellationToken stoppingToken)
    {
        var writes = batch.Select(audit => new ResourceWrite(audit)).ToList();
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _store.SaveAsync(writes, CancellationToken.None);
                return BatchOutcome.Written;
            }
            catch (Exception ex) when (ex is StorageUnavailableException or TimeoutException)
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    return BatchOutcome.NotNow;
                }

                if (attempt == 5)
                {
                    LogStillRetrying(_logger, batch.Count, ex.GetType().Name);
                }

                try
                {
                    await Task.Delay(backoff, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return BatchOutcome.NotNow;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
            catch (Exception ex)
            {
                LogBatchRefused(_logger, batch.Count, ex.GetType().Name);
                return BatchOutcome.Refused;
            }
        }
    }

    private enum BatchOutcome
    {
        Written,

        /// <summary>The database is still unavailable and the instance is stopping.</summary>
        NotNow,

        /// <summary>The database refused the batch for a reason retrying will not change.</summary>
        Refused,
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Error, Message = "The database refused {Count} audit records ({ExceptionType}); they are kept in the audit journal")]
    private static partial void LogBatchRefused(ILogger logger, int count, string exceptionType);

    [LoggerMessage(EventId = 9105, Level = LogLevel.Critical, Message = "{Count} audit records lost: neither the database nor the audit journal could take them ({ExceptionType})")]
    private static partial void LogBatchLost(ILogger logger, int count, string exceptionType);

    [LoggerMessage(EventId = 9106, Level = LogLevel.Error, Message = "The audit journal folder cannot be read ({ExceptionType}); records waiting there stay until it can")]
    private static partial void LogJournalUnreadable(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 9104, Level = LogLevel.Warning, Message = "Still retrying {Count} audit records: the database is unavailable ({ExceptionType})")]
    private static partial void LogStillRetrying(ILogger logger, int count, string exceptionType);
}
