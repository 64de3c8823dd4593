using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using SpinePolicy.Storage;

namespace SpinePolicy.Server;

/// <summary>
/// What an operator reads when the server cannot start: one line saying what to fix, and an exit
/// code a supervisor can act on (sysexits.h: 78 configuration, 69 a service the configuration names
/// is unreachable, 70 anything else). Never a stack trace, and never "retry later": a process that
/// cannot start needs someone to change something first.
/// </summary>
internal static class StartupFailure
{
    public const int ConfigurationError = 78;
    public const int ServiceUnavailable = 69;

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    public const int InternalError = 70;

    /// <summary>
    /// True when this server is the process (dotnet SpinePolicy.Server.dll); false when a test host
    /// runs Program, which must see the exception itself.
    /// </summary>
    public static bool IsOwnProcess => System.Reflection.Assembly.GetEntryAssembly() == typeof(StartupFailure).Assembly;

    /// <summary>The exit code and the one line for an exception that stopped start-up.</summary>
    public static (int ExitCode, string Message) Describe(Exception exception, IConfiguration? configuration)
    {
        var (code, message) = Classify(exception, configuration);
        return (code, "SpinePolicy cannot start: " + OneLine(message));
    }

    private static (int ExitCode, string Message) Classify(Exception exception, IConfiguration? configuration)
    {
        var chain = Chain(exception).ToList();
        if (chain.OfType<OptionsValidationException>().FirstOrDefault() is { } invalid)
        {
            return (ConfigurationError, $"the configuration is invalid: {string.Join("; ", invalid.Failures)}");
        }

        if (chain.OfType<PostgresException>().FirstOrDefault() is { } postgres)
        {
            return Postgres(postgres, Settings(configuration));
        }

        // Busy or locked: another process holds the file's write lock (another instance applying a
        // schema step, a backup); a restart may find it free, as with an unreachable PostgreSQL.
        if (chain.OfType<SqliteException>().FirstOrDefault() is { SqliteErrorCode: SqliteBusy or SqliteLocked } held)
        {
            return (ServiceUnavailable, $"the SQLite database at Storage:Sqlite:Path ('{configuration?["Storage:Sqlite:Path"] ?? "data/spinepolicy.db"}') stayed locked by another process for longer than Storage:Sqlite:BusyTimeout ({held.Message.TrimEnd('.')}). Another instance may be applying a schema step; start this one again when it is done.");
        }

        if (chain.OfType<SqliteException>().FirstOrDefault() is { } sqlite)
        {
            return (ConfigurationError, $"the SQLite database at Storage:Sqlite:Path ('{configuration?["Storage:Sqlite:Path"] ?? "data/spinepolicy.db"}') cannot be opened ({sqlite.Message.TrimEnd('.')}). Check the path and that the folder is writable by this process.");
        }

        if (chain.Any(link => link is SocketException or TimeoutException || (link is NpgsqlException && link.InnerException is null)))
        {
            var settings = Settings(configuration);
            var reason = chain.OfType<SocketException>().FirstOrDefault()?.Message ?? chain.OfType<NpgsqlException>().FirstOrDefault()?.Message ?? "no answer";
            return (ServiceUnavailable, $"PostgreSQL at {settings?.Host ?? "?"}:{settings?.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} cannot be reached ({reason.TrimEnd('.')}). Check Host and Port in Storage:Postgres:ConnectionString and that the server runs and accepts TCP connections from here.");
        }

        if (chain.OfType<StorageUnavailableException>().FirstOrDefault() is { } unavailable)
        {
            return (ServiceUnavailable, unavailable.Message.Replace("; retry later.", ".", StringComparison.Ordinal));
        }

        return exception switch
        {
            InvalidOperationException or ArgumentException or FormatException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException
                => (ConfigurationError, exception.Message),
            _ => (InternalError, $"{exception.GetType().Name}: {exception.Message}"),
        };
    }

    private static (int, string) Postgres(PostgresException error, NpgsqlConnectionStringBuilder? settings)
    {
        var database = settings?.Database ?? settings?.Username ?? "?";
        var user = settings?.Username ?? "?";
        return error.SqlState switch
        {
            "3D000" => (ConfigurationError, $"PostgreSQL has no database '{database}'. Create it (README, \"Switching to PostgreSQL\") or fix Database in Storage:Postgres:ConnectionString."),
            "28P01" or "28000" => (ConfigurationError, $"PostgreSQL refused the login of role '{user}' ({error.MessageText}). Check Username and Password in Storage:Postgres:ConnectionString, and pg_hba.conf."),
            "42501" => (ConfigurationError, $"role '{user}' may not create the schema in database '{database}' ({error.MessageText}). Make it the database's owner (README, \"Switching to PostgreSQL\")."),
            "53300" => (ServiceUnavailable, "PostgreSQL has no connection slot left (max_connections). Lower Maximum Pool Size or the number of instances, or put PgBouncer in front (README, \"Running several instances\")."),
            _ when error.SqlState.StartsWith("57P", StringComparison.Ordinal) || error.SqlState.StartsWith("08", StringComparison.Ordinal)
                => (ServiceUnavailable, $"PostgreSQL is not accepting connections ({error.MessageText})."),
            _ => (ConfigurationError, $"PostgreSQL refused to set up the schema ({error.SqlState}: {error.MessageText})."),
        };
    }

    /// <summary>Host, port, database and user of the configured connection string (never the password).</summary>
    private static NpgsqlConnectionStringBuilder? Settings(IConfiguration? configuration)
    {
        try
        {
            return configuration?[$"{StorageRegistration.SectionName}:Postgres:ConnectionString"] is { Length: > 0 } connectionString
                ? new NpgsqlConnectionStringBuilder(connectionString)
                : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? link = exception; link is not null; link = link.InnerException)
        {
            yield return link;
            if (link is AggregateException { InnerExceptions.Count: > 1 } aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.Skip(1).SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
