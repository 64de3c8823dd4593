using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace SpinePolicy.Storage.Sqlite;

/// <summary>
/// The one writer of this process. SQLite commits one transaction at a time and, with
/// synchronous=FULL, each commit waits for the disk; committing every request's write on its own
/// therefore caps throughput at one disk flush per request. Here the writes that queue up while a
/// commit is flushing run together in the next transaction, each under its own savepoint, and one
/// COMMIT acknowledges them all. A write that fails is rolled back to its savepoint and fails alone;
/// a COMMIT that fails fails every write of the batch, and none of them is acknowledged.
/// </summary>
internal sealed class SqliteGroupCommit : IDisposable
{
    /// <summary>Writes per transaction: enough to amortize the flush, small enough to keep latency flat.</summary>
    public const int MaxBatch = 128;

    private static readonly TimeSpan DrainOnDispose = TimeSpan.FromSeconds(10);

    private readonly Channel<PendingSqliteWrite> _queue = Channel.CreateUnbounded<PendingSqliteWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<CancellationToken, Task<SqliteSession>> _open;
    private readonly Func<Exception, Exception> _translate;
    private readonly Task _loop;

    // The writer's connection stays open from batch to batch, with the statements it compiled; a
    // batch that fails closes it and the next batch opens a fresh one.
    private SqliteSession? _connection;

    public SqliteGroupCommit(Func<CancellationToken, Task<SqliteSession>> open, Func<Exception, Exception> translate)
    {
        _open = open;
        _translate = translate;
        _loop = Task.Run(RunAsync);
    }

    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var pending = new PendingSqliteWrite<T>(write, cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqliteDatabase), "The SQLite database is shutting down.");
        }

        return await pending.Outcome;
    }

    /// <summary>Stops taking writes, and lets the ones already queued commit first.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _loop.Wait(DrainOnDispose);
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingSqliteWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                if (pending.TryClaim())
                {
                    batch.Add(pending);
                }
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch);
            }
        }

        _connection?.Dispose();
        _connection = null;
    }

    private async Task CommitAsync(List<PendingSqliteWrite> batch)
    {
        var succeeded = new List<PendingSqliteWrite>(batch.Count);
        var refused = new List<(PendingSqliteWrite Write, Exception Reason)>();
        try
        {
            var connection = _connection ??= await _open(CancellationToken.None);
            await using var transaction = connection.BeginTransaction(deferred: false);
            foreach (var pending in batch)
            {
                const string Savepoint = "pending_write";
                transaction.Save(Savepoint);
                try
                {
                    await pending.RunAsync(connection, transaction);
                    transaction.Release(Savepoint);
                    succeeded.Add(pending);
                }
                catch (Exception ex) when (ex is not SqliteException sqlite || !SqliteDatabase.IsUnavailable(sqlite))
                {
                    // This caller's statements only: a constraint, a validation or its own cancellation.
                    // If SQLite already abandoned the whole transaction, ROLLBACK TO throws and the batch fails.
                    transaction.Rollback(Savepoint);
                    transaction.Release(Savepoint);
                    refused.Add((pending, _translate(ex)));
                }
            }

            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Nothing of this batch is on disk; every write learns why, including those refused on
            // their own (a key "taken" by a write that was never committed is not taken).
            var failure = _translate(ex);
            _connection?.Dispose();
            _connection = null;
            foreach (var pending in batch)
            {
                pending.Fail(failure);
            }

            return;
        }

        // Only now, with the batch committed and visible: a caller refused for a duplicate key
        // must be able to read the write that holds the key the moment it learns of it.
        foreach (var (pending, reason) in refused)
        {
            pending.Fail(reason);
        }

        foreach (var pending in succeeded)
        {
            pending.Acknowledge();
        }
    }
}
