using System.Data.Common;
using System.Net.Sockets;
using Npgsql;
using SpinePolicy.Storage.Relational;

namespace SpinePolicy.Storage.Postgres;

/// <summary>
/// The PostgreSQL database behind one pooled data source: runs reads and transactional writes and
/// turns driver errors into the storage exceptions the edge understands.
/// </summary>
internal sealed class PostgresDatabase : SqlDatabase, IAsyncDisposable, IDisposable
{
    private const string UniqueViolation = "23505";
    private const string ResourceVersionKey = "resource_version_pkey";

    /// <summary>character_not_in_repertoire (a NUL in text) and untranslatable_character (\u0000 in jsonb).</summary>
    private static readonly string[] UnstorableCharacter = ["22021", "22P05"];

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDatabase(PostgresStorageOptions options)
        : base(PostgresDialect.Instance)
    {
        _dataSource = NpgsqlDataSource.Create(PostgresPoolDefaults.Apply(options.ConnectionString));
    }

    public override async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            return await read(connection);
        }
        catch (PostgresException ex) when (UnstorableCharacter.Contains(ex.SqlState))
        {
            throw Unstorable(ex);
        }
        catch (Exception ex) when (IsUnavailable(ex, cancellationToken))
        {
            throw Unavailable(ex);
        }
    }

    /// <summary>Runs a write in one READ COMMITTED transaction, committed only when it returns.</summary>
    public override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var result = await write(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (PostgresException ex) when (ex.SqlState == UniqueViolation && ex.ConstraintName == ResourceVersionKey)
        {
            // Two writers created the same explicit id at once; the loser behaves like a stale If-Match.
            throw new VersionConflictException("The resource was created by someone else at the same time.");
        }
        catch (PostgresException ex) when (ex.SqlState == UniqueViolation)
        {
            throw new DuplicateKeyException("A resource with this key exists already.");
        }
        catch (PostgresException ex) when (UnstorableCharacter.Contains(ex.SqlState))
        {
            throw Unstorable(ex);
        }
        catch (Exception ex) when (IsUnavailable(ex, cancellationToken))
        {
            throw Unavailable(ex);
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();

    /// <summary>
    /// Connection trouble, a server shutting down or out of resources, a deadlock or serialization
    /// failure, a timeout: conditions a caller may retry later (503). Constraint and syntax errors are not.
    /// </summary>
    public static bool IsUnavailable(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        PostgresException postgres => postgres.IsTransient
            || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("53", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("58", StringComparison.Ordinal)
            || postgres.SqlState is "40001" or "40P01",
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
        SocketException or IOException or TimeoutException => true,
        _ => false,
    };

    /// <summary>A search value or a resource holding a character PostgreSQL text cannot hold: bad input, not an outage (SQLite stores it).</summary>
    private static UnstorableValueException Unstorable(Exception ex) =>
        new("The request holds a character this server cannot store or search for (the NUL character, U+0000).", ex);

    private static StorageUnavailableException Unavailable(Exception ex) =>
        new("The PostgreSQL database is unavailable; retry later.", ex);
}
