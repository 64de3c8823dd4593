using System.Collections.Frozen;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Answers;

namespace SpinePolicy.FhirQuestionnaire.Artifacts;

/// <summary>
/// The conformance resources we publish (fhir-resources/{Type}-{id}.json), loaded and checked once
/// at start-up and then only read. Found by id or by canonical ("url" or "url|version"); a
/// canonical naming a version we published before and have since superseded
/// (<see cref="ArtifactVersionHistory"/>) resolves to the current version of the same artefact.
/// Callers get shared instances: they must copy (DeepCopy) before changing one; each instance's JSON
/// is written once (<see cref="SpinePolicy.Fhir.Http.SerializedOnce"/>) and a change would not show.
/// </summary>
internal sealed class PublishedArtifacts : IQuestionnaireCatalog
{
    public static readonly IReadOnlySet<string> PublishedTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "Questionnaire", "Library", "ValueSet", "CodeSystem",
    };

    private readonly FrozenDictionary<string, IVersionableConformanceResource> _byTypeAndId;
    private readonly FrozenDictionary<string, IVersionableConformanceResource> _byVersionedUrl;
    private readonly FrozenDictionary<string, IVersionableConformanceResource> _byUrl;
    private readonly FrozenDictionary<string, IVersionableConformanceResource> _bySupersededUrl;

    public PublishedArtifacts(IEnumerable<IVersionableConformanceResource> resources, ArtifactVersionHistory? history = null)
    {
        Resources = resources.ToList();
        _byTypeAndId = Resources.ToFrozenDictionary(r => Key(((Resource)r).TypeName, ((Resource)r).Id!), StringComparer.Ordinal);
        _byVersionedUrl = Resources.ToFrozenDictionary(r => $"{r.Url}|{r.Version}", StringComparer.Ordinal);

        // Without a version, a canonical means the newest one we publish (yyyy.mm.n, part by part).
        _byUrl = Resources
            .GroupBy(r => r.Url!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.OrderByDescending(r => r.Version, ArtifactVersionOrder.Instance).First(), StringComparer.Ordinal);
        All = Resources.OfType<Questionnaire>().ToList();

        // "url|old" → the current resource. An adaptive twin is derived, not recorded: its versions
        // are those of the standard questionnaire it derives from.
        history ??= ArtifactVersionHistory.Empty;
        _bySupersededUrl = _byUrl.Values
            .SelectMany(current => history.SupersededBy(RecordedUrlOf(current), current.Version!)
                .Select(old => (Canonical: $"{current.Url}|{old}", Current: current)))
            .Where(p => !_byVersionedUrl.ContainsKey(p.Canonical))
            .ToFrozenDictionary(p => p.Canonical, p => p.Current, StringComparer.Ordinal);
    }

    public IReadOnlyList<IVersionableConformanceResource> Resources { get; }

    public IReadOnlyList<Questionnaire> All { get; }

    /// <summary>The form a canonical names, a superseded version of it included (<see cref="Resolve{T}"/>).</summary>
    public Questionnaire? Find(string canonical) => Resolve<Questionnaire>(canonical)?.Resource;

    /// <summary>
    /// Exactly what we publish under "url" (the newest) or "url|version"; null otherwise, a
    /// superseded version included. For checks of our own artefacts, which must cite what is served.
    /// </summary>
    public T? FindExact<T>(string canonical) where T : class, IVersionableConformanceResource
    {
        var bar = canonical.IndexOf('|', StringComparison.Ordinal);
        var found = bar < 0
            ? _byUrl.GetValueOrDefault(canonical)
            : _byVersionedUrl.GetValueOrDefault(canonical);
        return found as T;
    }

    /// <summary>
    /// A canonical a client sent: what <see cref="FindExact{T}"/> finds, else — for a version we
    /// published before and have since superseded — the current version, marked as standing in
    /// for it. Null for a canonical that was never ours.
    /// </summary>
    public ResolvedCanonical<T>? Resolve<T>(string canonical) where T : class, IVersionableConformanceResource
    {
        if (FindExact<T>(canonical) is { } found)
        {
            return new ResolvedCanonical<T>(found, null);
        }

        return _bySupersededUrl.GetValueOrDefault(canonical) is T current
            ? new ResolvedCanonical<T>(current, canonical[(canonical.LastIndexOf('|') + 1)..])
            : null;
    }

    public Resource? Read(string resourceType, string id) => _byTypeAndId.GetValueOrDefault(Key(resourceType, id)) as Resource;

    public IEnumerable<Resource> OfType(string resourceType) =>
        Resources.Cast<Resource>().Where(r => r.TypeName == resourceType);

    private static string Key(string type, string id) => $"{type}/{id}";

    /// <summary>The url the version ledger records a resource under: an adaptive twin's standard form's.</summary>
    private static string RecordedUrlOf(IVersionableConformanceResource resource) =>
        resource is Questionnaire questionnaire && AdaptiveQuestionnaires.StandardCanonicalOf(questionnaire) is { } standard
            ? standard.Split('|')[0]
            : resource.Url!;
}
