using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace SpinePolicy.Storage.Sqlite;

/// <summary>
/// One caller's write waiting for the group commit. It is claimed exactly once: either the batch
/// writer runs it, or the caller's cancellation withdraws it while it is still queued. Once
/// claimed by the writer, the caller learns the outcome only after the batch's COMMIT.
/// </summary>
internal abstract class PendingSqliteWrite
{
    private const int Queued = 0;
    private const int Claimed = 1;
    private const int Withdrawn = 2;

    private int _state = Queued;

    /// <summary>True when the writer may run it; false when the caller withdrew it first.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Queued) == Queued;

    /// <summary>Runs the caller's statements inside the batch's transaction (under a savepoint).</summary>
    public abstract Task RunAsync(SqliteConnection connection, SqliteTransaction transaction);

    /// <summary>The batch committed: hand the caller its result.</summary>
    public abstract void Acknowledge();

    public abstract void Fail(Exception exception);

    protected bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Queued) == Queued;
}

/// <inheritdoc cref="PendingSqliteWrite"/>
internal sealed class PendingSqliteWrite<T> : PendingSqliteWrite, IDisposable
{
    private readonly Func<DbConnection, DbTransaction, Task<T>> _write;

    // Continuations run on the thread pool, never inline on the batch writer's loop.
    private readonly TaskCompletionSource<T> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenRegistration _cancellation;
    private T? _result;

    public PendingSqliteWrite(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        _write = write;
        _cancellation = cancellationToken.Register(() =>
        {
            if (TryWithdraw())
            {
                _outcome.TrySetCanceled(cancellationToken);
            }
        });
    }

    public Task<T> Outcome => _outcome.Task;

    public override async Task RunAsync(SqliteConnection connection, SqliteTransaction transaction) =>
        _result = await _write(connection, transaction);

    public override void Acknowledge() => _outcome.TrySetResult(_result!);

    public override void Fail(Exception exception)
    {
        if (exception is OperationCanceledException canceled)
        {
            _outcome.TrySetCanceled(canceled.CancellationToken);
        }
        else
        {
            _outcome.TrySetException(exception);
        }
    }

    public void Dispose() => _cancellation.Dispose();
}
