using System.Data.Common;

namespace SpinePolicy.Storage.Relational;

/// <summary>
/// One database as the stores see it: reads on a connection, writes in a transaction that is
/// committed before the call returns, driver errors already turned into the storage exceptions
/// (<see cref="StorageUnavailableException"/>, <see cref="DuplicateKeyException"/>,
/// <see cref="VersionConflictException"/>). How connections are pooled and how writes are
/// committed (SQLite groups them) is the provider's business.
/// </summary>
public abstract class SqlDatabase(SqlDialect dialect)
{
    public SqlDialect Dialect { get; } = dialect;

    public abstract Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken);

    /// <summary>Runs a write in a transaction; returns only after that transaction committed.</summary>
    public abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken);

    /// <summary>What the database needs before its schema is migrated (a folder, a journal mode).</summary>
    public virtual Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
