namespace SpinePolicy.Storage.Sqlite;

/// <summary>"Storage:Sqlite" settings.</summary>
public sealed class SqliteStorageOptions
{
    public const string DefaultPath = "data/spinepolicy.db";

    /// <summary>The database file; the folder is created when missing.</summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>How long a writer waits for another process's lock before giving up.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
