using System.Text;
using Microsoft.Extensions.Options;
using SpinePolicy.Fhir;
using AuditEvent = Hl7.Fhir.Model.AuditEvent;

namespace SpinePolicy.Server.Hosting.Audit;

/// <summary>
/// Audit records the database could not take, kept on local disk until an instance writes them:
/// one file per spill (one AuditEvent per line, flushed to disk before the call returns, readable
/// by the service account only). An instance claims a file by renaming it, so two instances sharing
/// the folder never write one file twice; a claim left by a crashed instance is taken over after
/// <see cref="AbandonedClaimAge"/>. A file whose records the database refuses as invalid is set
/// aside (<c>.rejected</c>) for an operator, never deleted.
/// </summary>
internal sealed partial class AuditJournal
{
    private const string Pending = ".ndjson";
    private const string Claimed = ".replaying";
    private const string Rejected = ".rejected";
    private static readonly TimeSpan AbandonedClaimAge = TimeSpan.FromMinutes(5);
    private readonly ILogger<AuditJournal> _logger;
    private int _spilledSinceReplay;

    public AuditJournal(IOptions<AuditJournalOptions> options, IHostEnvironment environment, ILogger<AuditJournal> logger)
    {
        _logger = logger;
        Directory = Path.GetFullPath(options.Value.JournalDirectory, environment.ContentRootPath);
    }

    public string Directory { get; }

    /// <summary>Whether records were spilled since the last replay began.</summary>
    public bool HasSpilled => Volatile.Read(ref _spilledSinceReplay) != 0;

    /// <summary>Writes the records to a new journal file and flushes it to disk.</summary>
    public void Spill(IReadOnlyCollection<AuditEvent> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, $"audit-{DateTime.UtcNow.Ticks:D20}-{Guid.NewGuid():N}{Pending}");
        var partial = path + ".partial";
        var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(partial, file))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            foreach (var record in records)
            {
                writer.Write(FhirJson.Serialize(record));
                writer.Write('\n');
            }

            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        // Published only once complete: a reader never sees half a file.
        File.Move(partial, path);
        Interlocked.Exchange(ref _spilledSinceReplay, 1);
        LogSpilled(_logger, records.Count);
    }

    /// <summary>Claims every waiting file (and abandoned claims) for this instance.</summary>
    public IReadOnlyList<string> ClaimAll()
    {
        Interlocked.Exchange(ref _spilledSinceReplay, 0);
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var claimed = new List<string>();
        var waiting = System.IO.Directory.EnumerateFiles(Directory, "*" + Pending)
            .Concat(System.IO.Directory.EnumerateFiles(Directory, "*" + Claimed).Where(IsAbandoned))
            .Order(StringComparer.Ordinal);
        foreach (var path in waiting)
        {
            // The claim's name carries when it was made (a rename keeps the file's own times).
            var claim = Path.Combine(Directory, $"{BaseName(path)}.{DateTime.UtcNow.Ticks:D20}{Claimed}");
            try
            {
                File.Move(path, claim);
                claimed.Add(claim);
            }
            catch (IOException)
            {
                // Another instance claimed it first.
            }
        }

        return claimed;
    }

    public static IReadOnlyList<AuditEvent> Read(string claim) =>
        File.ReadLines(claim).Where(line => line.Length > 0).Select(FhirJson.Parse<AuditEvent>).ToList();

    /// <summary>The claimed file's records are in the database.</summary>
    public static void Written(string claim) => File.Delete(claim);

    /// <summary>Gives a claim back (the instance is stopping before it could write it).</summary>
    public void Release(string claim) => File.Move(claim, Path.Combine(Directory, BaseName(claim) + Pending));

    /// <summary>Sets a claim aside for an operator: its records cannot be read or are refused by the database.</summary>
    public void Reject(string claim, string reason)
    {
        File.Move(claim, Path.Combine(Directory, BaseName(claim) + Rejected));
        LogRejected(_logger, Path.GetFileName(claim), reason);
    }

    private static bool IsAbandoned(string claim)
    {
        var parts = Path.GetFileName(claim).Split('.');
        return parts.Length == 3 && long.TryParse(parts[1], out var ticks)
            && DateTime.UtcNow - new DateTime(ticks, DateTimeKind.Utc) > AbandonedClaimAge;
    }

    /// <summary>"audit-{ticks}-{id}", the part of a journal file's name that every state keeps.</summary>
    private static string BaseName(string path) => Path.GetFileName(path).Split('.')[0];

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "Spilled {Count} audit records to the local journal; they are written when the database takes them")]
    private static partial void LogSpilled(ILogger logger, int count);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Error, Message = "Audit journal file {File} set aside: {Reason}")]
    private static partial void LogRejected(ILogger logger, string file, string reason);
}
