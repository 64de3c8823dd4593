using System.Collections.Frozen;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Answers;

namespace SpinePolicy.FhirQuestionnaire.Artifacts;

/// <summary>
/// The conformance resources we publish (fhir-resources/{Type}-{id}.json), loaded and checked once
/// at start-up and then only read. Found by id or by canonical ("url" or "url|version").
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

    public PublishedArtifacts(IEnumerable<IVersionableConformanceResource> resources)
    {
        Resources = resources.ToList();
        _byTypeAndId = Resources.ToFrozenDictionary(r => Key(((Resource)r).TypeName, ((Resource)r).Id!), StringComparer.Ordinal);
        _byVersionedUrl = Resources.ToFrozenDictionary(r => $"{r.Url}|{r.Version}", StringComparer.Ordinal);

        // Without a version, a canonical means the newest one we publish (versions sort as text: yyyy.mm.n).
        _byUrl = Resources
            .GroupBy(r => r.Url!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.OrderByDescending(r => r.Version, StringComparer.Ordinal).First(), StringComparer.Ordinal);
        All = Resources.OfType<Questionnaire>().ToList();
    }

    public IReadOnlyList<IVersionableConformanceResource> Resources { get; }

    public IReadOnlyList<Questionnaire> All { get; }

    public Questionnaire? Find(string canonical) => Find<Questionnaire>(canonical);

    /// <summary>By "url" or "url|version"; null when we publish no such resource of this type.</summary>
    public T? Find<T>(string canonical) where T : Resource, IVersionableConformanceResource
    {
        var bar = canonical.IndexOf('|', StringComparison.Ordinal);
        var found = bar < 0
            ? _byUrl.GetValueOrDefault(canonical)
            : _byVersionedUrl.GetValueOrDefault(canonical);
        return found as T;
    }

    public Resource? Read(string resourceType, string id) => _byTypeAndId.GetValueOrDefault(Key(resourceType, id)) as Resource;

    public IEnumerable<Resource> OfType(string resourceType) =>
        Resources.Cast<Resource>().Where(r => r.TypeName == resourceType);

    private static string Key(string type, string id) => $"{type}/{id}";
}
