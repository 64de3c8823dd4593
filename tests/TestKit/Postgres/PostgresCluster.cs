using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SpinePolicy.TestKit.Postgres;

/// <summary>
/// One PostgreSQL server for the whole test process. When SPINEPOLICY_TEST_POSTGRES holds a
/// connection string that server is used; otherwise a private cluster is created with initdb in a
/// temporary folder, listening on a free loopback port only, and removed when the process exits.
/// Each caller gets its own fresh database, so tests never share data.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    public const string ServerVariable = "SPINEPOLICY_TEST_POSTGRES";

    private static readonly Lazy<Task<PostgresCluster>> SharedCluster = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _adminConnectionString;
    private readonly PrivateServer? _server;
    private readonly bool _dedicated;

    private PostgresCluster(string adminConnectionString, PrivateServer? server, bool dedicated = false)
    {
        _adminConnectionString = adminConnectionString;
        _server = server;
        _dedicated = dedicated;
    }

    /// <summary>The process-wide cluster, started on first use.</summary>
    public static Task<PostgresCluster> SharedAsync() => SharedCluster.Value;

    /// <summary>
    /// A private cluster for one test that stops or crashes the server (never do that to the shared
    /// one: other test classes run on it in parallel). Dispose it to stop it and delete its files.
    /// </summary>
    public static async Task<PostgresCluster> StartDedicatedAsync()
    {
        var server = await PrivateServer.StartAsync();
        return new PostgresCluster(AdminConnectionString(server), server, dedicated: true);
    }

    /// <summary>Crashes the server (immediate stop, no checkpoint) and starts it again on the same port.</summary>
    public async Task CrashAndRestartAsync()
    {
        var server = _server ?? throw new InvalidOperationException($"An external server ({ServerVariable}) cannot be restarted by the tests.");
        await server.StopServerAsync("immediate");
        await server.StartServerAsync();
    }

    /// <summary>Stops a dedicated cluster and deletes its files (the shared one is left to process exit).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_dedicated && _server is not null)
        {
            await _server.StopAndDeleteAsync();
        }
    }

    /// <summary>Where the private cluster's files live, or null when an external server is used.</summary>
    public string? DataDirectory => _server?.Root;

    /// <summary>Creates an empty database with a unique name and returns a connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        // The name is ours (a GUID), never input, so it is safe in DDL, which cannot take parameters.
        var name = "spinepolicy_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8';", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Convenience for tests: the shared cluster's next fresh database.</summary>
    public static async Task<string> CreateSharedDatabaseAsync(CancellationToken cancellationToken = default) =>
        await (await SharedAsync()).CreateDatabaseAsync(cancellationToken);

    private static async Task<PostgresCluster> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable(ServerVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            return new PostgresCluster(external, null);
        }

        var server = await PrivateServer.StartAsync();
        return new PostgresCluster(AdminConnectionString(server), server);
    }

    private static string AdminConnectionString(PrivateServer server) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = server.Port,
        Username = "postgres",
        Database = "postgres",
        Pooling = false,
    }.ConnectionString;

    /// <summary>initdb + pg_ctl in a temporary folder, stopped and deleted at process exit.</summary>
    private sealed class PrivateServer
    {
        private readonly string _binaries;
        private readonly bool _asPostgresUser;

        private PrivateServer(string binaries, string root, int port, bool asPostgresUser)
        {
            _binaries = binaries;
            Root = root;
            Port = port;
            _asPostgresUser = asPostgresUser;
        }

        public string Root { get; }

        public int Port { get; }

        private string DataPath => Path.Combine(Root, "data");

        public static async Task<PrivateServer> StartAsync()
        {
            var binaries = FindBinaries() ?? throw new InvalidOperationException(
                "PostgreSQL tests need a server: install PostgreSQL (initdb and pg_ctl on PATH or under /usr/lib/postgresql/*/bin) "
                + $"or set {ServerVariable} to a connection string of a server where the user may CREATE DATABASE.");

            DeleteAbandonedClusters();
            var root = Path.Combine(Path.GetTempPath(), "spinepolicy-pg-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(root);

            // initdb refuses to run as root (CI runs as root), so the cluster belongs to "postgres".
            var asPostgresUser = Environment.UserName == "root";
            if (asPostgresUser)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", root], asPostgresUser: false);
            }

            var server = new PrivateServer(binaries, root, FreeLoopbackPort(), asPostgresUser);
            await server.InitAndStartAsync();
            server.StartJanitor();
            return server;
        }

        private async Task InitAndStartAsync()
        {
            // Trust only for local socket and loopback connections: the server listens on 127.0.0.1
            // and its own socket folder, nothing else.
            await RunAsync(
                Path.Combine(_binaries, "initdb"),
                ["-D", DataPath, "-U", "postgres", "--auth-local=trust", "--auth-host=trust", "-E", "UTF8", "--no-locale", "--no-instructions"],
                _asPostgresUser);

            await StartServerAsync();
        }

        public async Task StartServerAsync()
        {
            var options = string.Join(' ',
                "-c listen_addresses=127.0.0.1",
                $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
                $"-k {Root}",
                "-c fsync=on",
                "-c max_connections=300",
                "-c shared_buffers=32MB");
            await RunAsync(
                Path.Combine(_binaries, "pg_ctl"),
                ["start", "-D", DataPath, "-l", Path.Combine(Root, "server.log"), "-w", "-t", "60", "-o", options],
                _asPostgresUser);
        }

        /// <summary>"immediate" is a crash as far as durability goes: no checkpoint, recovery from WAL on start.</summary>
        public Task StopServerAsync(string mode) =>
            RunAsync(Path.Combine(_binaries, "pg_ctl"), ["stop", "-D", DataPath, "-m", mode, "-w", "-t", "60"], _asPostgresUser);

        public async Task StopAndDeleteAsync()
        {
            try
            {
                await StopServerAsync("immediate");
            }
            catch (InvalidOperationException)
            {
                // Already stopped; the folder still goes.
            }

            DeleteFolder(Root);
        }

        /// <summary>
        /// Starts a small detached shell (forked away so the runner's process-tree kill misses it) that waits for this test process to end (however it ends:
        /// the test runner gives exit handlers almost no time, and a crash gives none), then stops
        /// the cluster and deletes its folder.
        /// </summary>
        private void StartJanitor()
        {
            const string script = """
                exec >/dev/null 2>&1 </dev/null
                while kill -0 "$1"; do sleep 1; done
                if [ "$4" = "runuser" ]; then runuser -u postgres -- "$3" stop -D "$2/data" -m immediate -w -t 30
                else "$3" stop -D "$2/data" -m immediate -w -t 30; fi
                rm -rf "$2"
                """;
            var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
            foreach (var argument in new[]
            {
                "-f", "sh", "-c", script, "spinepolicy-pg-janitor",
                Environment.ProcessId.ToString(CultureInfo.InvariantCulture), Root, Path.Combine(_binaries, "pg_ctl"), _asPostgresUser ? "runuser" : "direct",
            })
            {
                start.ArgumentList.Add(argument);
            }

            using var janitor = Process.Start(start) ?? throw new InvalidOperationException("Could not start the PostgreSQL test cluster's clean-up process.");
        }

        /// <summary>Removes folders of earlier runs that were killed before they could clean up.</summary>
        private static void DeleteAbandonedClusters()
        {
            foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), "spinepolicy-pg-*"))
            {
                var pidFile = Path.Combine(folder, "data", "postmaster.pid");
                var running = File.Exists(pidFile)
                    && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid)
                    && IsRunning(pid);
                if (!running && Directory.GetCreationTimeUtc(folder) < DateTime.UtcNow.AddMinutes(-5))
                {
                    DeleteFolder(folder);
                }
            }
        }

        private static bool IsRunning(int pid)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        private static void DeleteFolder(string folder)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A leftover temporary folder is not worth failing a test run for.
            }
        }

        private static string? FindBinaries()
        {
            var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .FirstOrDefault(folder => File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl")));
            if (onPath is not null)
            {
                return onPath;
            }

            const string installed = "/usr/lib/postgresql";
            return Directory.Exists(installed)
                ? Directory.GetDirectories(installed)
                    .Select(version => Path.Combine(version, "bin"))
                    .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
                    .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                    .FirstOrDefault()
                : null;
        }

        private static int FreeLoopbackPort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgresUser)
        {
            var start = new ProcessStartInfo(asPostgresUser ? "runuser" : program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (asPostgresUser)
            {
                foreach (var prefix in new[] { "-u", "postgres", "--", program })
                {
                    start.ArgumentList.Add(prefix);
                }
            }

            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {await error} {await output}");
            }
        }
    }
}
