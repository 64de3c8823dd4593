using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using SpinePolicy.Storage.Relational;

namespace SpinePolicy.Storage.Sqlite;

/// <summary>
/// The one SQLite file: opens connections with the durability settings, funnels this process's
/// writers into group commits, and turns driver errors into the storage exceptions the edge understands.
/// </summary>
internal sealed class SqliteDatabase : SqlDatabase, IDisposable
{
    private const int UniqueConstraintFailed = 2067;
    private const int PrimaryKeyConstraintFailed = 1555;

    /// <summary>Concurrent reads allowed; more wait their turn (asynchronously).</summary>
    public static readonly int MaxConcurrentReads = Math.Max(4, Environment.ProcessorCount * 2);

    // SQLite allows one writer at a time; this process's writes go through one queue (so they never
    // spin on SQLITE_BUSY against each other), and BEGIN IMMEDIATE plus busy_timeout covers writers
    // in other processes.
    private readonly SqliteGroupCommit _writer;

    // SQLite reads run synchronously on the calling thread and every connection keeps its own page
    // cache: 64 concurrent searches held 64 connections (and thread-pool threads) and raised peak
    // RSS by ~160 MB, without answering faster than a few readers per core do.
    private readonly SemaphoreSlim _readGate = new(MaxConcurrentReads, MaxConcurrentReads);

    // The readers stay open between reads, with the statements they compiled: at most
    // MaxConcurrentReads of them, as the gate lets no more in at once.
    private readonly ConcurrentBag<SqliteSession> _idleReaders = [];
    private readonly string _connectionString;
    private volatile bool _disposed;
    private readonly string _pragmas;

    public SqliteDatabase(SqliteStorageOptions options)
        : base(SqliteDialect.Instance)
    {
        FilePath = System.IO.Path.GetFullPath(options.Path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,

            // This process keeps its own connections open (the readers' pool and the writer), so
            // the driver's pool would only hold a second copy of each.
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();

        // synchronous=FULL: a commit returns only after the WAL is on disk, so an acknowledged write
        // survives power loss. temp_store=MEMORY: SQLite's temporary files stay in memory, the
        // statement journal above all, which lets one statement of a group commit be undone alone
        // (a unique-key clash) and is rewritten by every statement. On disk it was a deleted file
        // under /var/tmp: 570 -> 230 KB written and 260 -> 99 write calls per $submit. These
        // pragmas are per connection, hence set on every open.
        _pragmas = $"PRAGMA busy_timeout = {(int)options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;";
        _writer = new SqliteGroupCommit(OpenAsync, Translate);
    }

    public string FilePath { get; }

    public async Task<SqliteSession> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteSession(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a read on a connection of its own, at most <see cref="MaxConcurrentReads"/> at a time.</summary>
    public override async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        await _readGate.WaitAsync(cancellationToken);
        SqliteSession? connection = null;
        try
        {
            connection = _idleReaders.TryTake(out var idle) ? idle : await OpenAsync(cancellationToken);
            var result = await read(connection);
            if (connection.IsReusable && !_disposed)
            {
                _idleReaders.Add(connection);
                connection = null;
            }

            return result;
        }
        catch (SqliteException ex) when (IsUnavailable(ex))
        {
            throw Unavailable(ex);
        }
        finally
        {
            // A read that failed gives up its connection: whatever went wrong stays with it.
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            _readGate.Release();
        }
    }

    /// <summary>
    /// Runs a write in an IMMEDIATE transaction, shared with the other writes queued at the same
    /// moment (<see cref="SqliteGroupCommit"/>); it returns only after that transaction committed.
    /// </summary>
    public override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken) =>
        _writer.WriteAsync(write, cancellationToken);

    /// <summary>Creates the folder and switches the file to WAL, which lets readers go on while one writer commits.</summary>
    public override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        try
        {
            var folder = System.IO.Path.GetDirectoryName(FilePath);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"Cannot create the folder for the SQLite database at {FilePath}.", ex);
        }

        await ReadAsync(
            async connection =>
            {
                // The journal mode is stored in the file: set once, it holds for every later connection.
                await using var wal = connection.CreateCommand();
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                return await wal.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
    }

    public void Dispose()
    {
        _disposed = true;
        _writer.Dispose();
        while (_idleReaders.TryTake(out var reader))
        {
            reader.Dispose();
        }

        _readGate.Dispose();
    }

    /// <summary>The storage exception an edge understands for a driver error; others pass through.</summary>
    internal static Exception Translate(Exception exception) => exception switch
    {
        SqliteException ex when ex.SqliteExtendedErrorCode is UniqueConstraintFailed or PrimaryKeyConstraintFailed =>
            new DuplicateKeyException($"A unique key is taken already: {ex.Message}"),
        SqliteException ex when IsUnavailable(ex) => Unavailable(ex),
        _ => exception,
    };

    /// <summary>Busy, locked, I/O, full, read-only, corrupt or unopenable: the caller may retry later.</summary>
    public static bool IsUnavailable(SqliteException ex) => (ex.SqliteErrorCode & 0xFF) switch
    {
        5 or 6 or 8 or 10 or 11 or 13 or 14 or 15 or 26 => true,
        _ => false,
    };

    private static StorageUnavailableException Unavailable(SqliteException ex) =>
        new("The SQLite database is unavailable (locked, unreachable or out of space).", ex);
}
