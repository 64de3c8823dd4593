using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.TestKit;

namespace SpinePolicy.FhirQuestionnaire.Tests.Authoring;

/// <summary>
/// fhir-resources/artifact-versions.json: every version of every canonical artefact we publish,
/// with the SHA-256 of its content. A canonical url|version names one content for good (a DTR app
/// may cache a Library by it, a QuestionnaireResponse cites its form by it), so a content change
/// needs a new version; the recorded hash is what lets a test notice when one was forgotten.
/// The newest version of each url is the one the builder publishes (Questionnaire versions come
/// from the policy document, which CRD cites at run time, and must be recorded here as well).
/// </summary>
public sealed class ArtifactVersionLedger
{
    public static string FilePath => Path.Combine(RepositoryPaths.FhirResources, "artifact-versions.json");

    private static readonly Lazy<ArtifactVersionLedger> CommittedLazy = new(() => Read(FilePath));

    private readonly List<Entry> _entries;

    private ArtifactVersionLedger(List<Entry> entries) => _entries = entries;

    public static ArtifactVersionLedger Committed => CommittedLazy.Value;

    public IReadOnlyList<Entry> Entries => _entries;

    public static ArtifactVersionLedger Read(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        var entries = root["artifacts"]!.AsArray().Select(a => new Entry(
            (string)a!["url"]!,
            (string)a["version"]!,
            (string?)a["sha256"] ?? string.Empty,
            (string?)a["changes"] ?? string.Empty,
            (string?)a["date"])).ToList();
        return new ArtifactVersionLedger(entries);
    }

    /// <summary>The newest version recorded for a url (versions are yyyy.mm.n and sort as text).</summary>
    public string CurrentVersion(string url) =>
        _entries.Where(e => e.Url == url).Select(e => e.Version).OrderDescending(ArtifactVersionOrder.Instance).FirstOrDefault()
        ?? throw new InvalidOperationException($"{url} has no version in {Path.GetFileName(FilePath)}.");

    /// <summary>SHA-256 of the artefact's canonical JSON: equal for equal content whatever the file's formatting.</summary>
    public static string HashOf(Resource resource) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ArtifactFiles.Canonical(resource))));

    /// <summary>Why the artefacts do not agree with the ledger; empty when every one does.</summary>
    public IReadOnlyList<string> Problems(IEnumerable<IVersionableConformanceResource> artifacts)
    {
        var problems = new List<string>();
        foreach (var artifact in artifacts)
        {
            var canonical = $"{artifact.Url}|{artifact.Version}";
            var hash = HashOf((Resource)artifact);
            var recorded = _entries.Where(e => e.Url == artifact.Url && e.Version == artifact.Version).ToList();
            if (recorded.Count != 1)
            {
                problems.Add($"{canonical}: {recorded.Count} entries in artifact-versions.json; record this version once (its content hash is {hash}).");
            }
            else if (recorded[0].Sha256 != hash)
            {
                problems.Add($"{canonical}: its content changed since this version was recorded ({recorded[0].Sha256}, now {hash}). A published version never changes: give the artefact a new version, record it with what changed, and cite it where the old one was cited.");
            }
            else if (CurrentVersion(artifact.Url!) != artifact.Version)
            {
                problems.Add($"{canonical}: artifact-versions.json records a newer version, {CurrentVersion(artifact.Url!)}; the published artefact went back to an older one.");
            }
        }

        return problems;
    }

    /// <summary>Fills in the hash of every entry recorded without one (a new version); never rewrites a recorded hash.</summary>
    public static void RecordMissingHashes(string path, IEnumerable<IVersionableConformanceResource> artifacts)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        var byCanonical = artifacts.ToDictionary(a => $"{a.Url}|{a.Version}", a => HashOf((Resource)a), StringComparer.Ordinal);
        foreach (var entry in root["artifacts"]!.AsArray())
        {
            if (string.IsNullOrEmpty((string?)entry!["sha256"]) && byCanonical.TryGetValue($"{entry["url"]}|{entry["version"]}", out var hash))
            {
                entry["sha256"] = hash;
            }
        }

        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }

    /// <summary>The date a version records as its publication date (yyyy-mm-dd), if it records one.</summary>
    public string? DateOf(string url, string version) =>
        _entries.FirstOrDefault(e => e.Url == url && e.Version == version)?.Date;

    public sealed record Entry(string Url, string Version, string Sha256, string Changes, string? Date = null);
}
