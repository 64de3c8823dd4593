using System.Text.Json;

namespace SpinePolicy.FhirQuestionnaire.Artifacts;

/// <summary>
/// Every version we ever published of each artefact, as fhir-resources/artifact-versions.json
/// records them. Only the newest is served, but a CRD card, a stored coverage assertion or a
/// provider's QuestionnaireResponse issued before a release still names an older one for days after;
/// knowing that it was ours (and is now superseded) is what lets the operations accept it instead
/// of treating it as a form we never published.
/// </summary>
internal sealed class ArtifactVersionHistory
{
    public const string FileName = "artifact-versions.json";

    public static readonly ArtifactVersionHistory Empty = new(new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal));

    private readonly IReadOnlyDictionary<string, IReadOnlySet<string>> _versionsByUrl;

    private ArtifactVersionHistory(IReadOnlyDictionary<string, IReadOnlySet<string>> versionsByUrl) => _versionsByUrl = versionsByUrl;

    /// <summary>
    /// The ledger in <paramref name="directory"/>; <see cref="Empty"/> when there is none (a folder
    /// of artefacts without history then accepts only the versions it holds). A ledger that cannot
    /// be read is a problem, as an unreadable artefact is.
    /// </summary>
    public static ArtifactVersionHistory Read(string directory, List<string> problems)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return Empty;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var versions = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.GetProperty("artifacts").EnumerateArray())
            {
                var url = entry.GetProperty("url").GetString();
                var version = entry.GetProperty("version").GetString();
                if (string.IsNullOrEmpty(url) || string.IsNullOrEmpty(version))
                {
                    problems.Add($"{FileName}: every entry needs a url and a version.");
                    continue;
                }

                if (!versions.TryGetValue(url, out var set))
                {
                    versions[url] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.Add(version);
            }

            return new ArtifactVersionHistory(versions.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value, StringComparer.Ordinal));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            problems.Add($"{FileName}: {ex.Message}");
            return Empty;
        }
    }

    /// <summary>
    /// The versions of <paramref name="url"/> recorded before <paramref name="current"/> (versions
    /// are yyyy.mm.n, compared part by part): published once, superseded by it.
    /// </summary>
    public IEnumerable<string> SupersededBy(string url, string current) =>
        _versionsByUrl.TryGetValue(url, out var versions)
            ? versions.Where(v => ArtifactVersionOrder.Instance.Compare(v, current) < 0)
            : [];
}
