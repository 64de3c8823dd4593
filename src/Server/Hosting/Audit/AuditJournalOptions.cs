namespace SpinePolicy.Server.Hosting.Audit;

/// <summary>"Audit" section: where audit records wait on local disk when the database cannot take them.</summary>
internal sealed class AuditJournalOptions
{
    public const string SectionName = "Audit";

    /// <summary>The journal folder; relative paths are under the content root. Instances on one host may share it.</summary>
    public string JournalDirectory { get; set; } = "data/audit-journal";
}
