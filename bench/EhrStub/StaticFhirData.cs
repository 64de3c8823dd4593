using Hl7.Fhir.Model;
using SpinePolicy.Fhir;

namespace SpinePolicy.EhrStub;

/// <summary>
/// The EHR's FHIR data for the prefetch-missing scenario, read once from a folder of resources
/// (one JSON file per resource) and pre-serialized, so the stub costs as little as possible and
/// the benchmark measures our server, not the simulated EHR.
/// </summary>
internal sealed class StaticFhirData
{
    /// <summary>What an _include of requester/performer (and iterate over PractitionerRole) brings.</summary>
    private static readonly string[] IncludedTypes = ["Practitioner", "PractitionerRole", "Organization"];

    private readonly Dictionary<string, byte[]> _searchesWithIncludes = new(StringComparer.Ordinal);

    private readonly Dictionary<string, byte[]> _reads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Resource>> _byType = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _searches = new(StringComparer.Ordinal);

    public StaticFhirData(string folder)
    {
        foreach (var path in Directory.GetFiles(folder, "*.json"))
        {
            var resource = FhirJson.Parse<Resource>(File.ReadAllText(path));
            if (resource.Id is null)
            {
                continue;
            }

            _reads[$"{resource.TypeName}/{resource.Id}"] = FhirJson.SerializeToUtf8Bytes(resource);
            if (!_byType.TryGetValue(resource.TypeName, out var list))
            {
                _byType[resource.TypeName] = list = [];
            }

            list.Add(resource);
        }

        foreach (var (type, resources) in _byType)
        {
            _searches[type] = SearchSet(resources, []);
            _searchesWithIncludes[type] = SearchSet(resources, IncludedTypes.SelectMany(t => _byType.GetValueOrDefault(t) ?? []).ToList());
        }
    }

    private static byte[] SearchSet(List<Resource> matches, List<Resource> includes)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Searchset, Total = matches.Count };
        foreach (var (resource, mode) in matches.Select(r => (r, Bundle.SearchEntryMode.Match)).Concat(includes.Select(r => (r, Bundle.SearchEntryMode.Include))))
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"urn:stub:{resource.TypeName}/{resource.Id}",
                Resource = resource,
                Search = new Bundle.SearchComponent { Mode = mode },
            });
        }

        return FhirJson.SerializeToUtf8Bytes(bundle);
    }

    public int Count => _reads.Count;

    public byte[]? Read(string type, string id) => _reads.GetValueOrDefault($"{type}/{id}");

    /// <summary>
    /// Every resource of the type, whatever the parameters (the stub holds one patient's data),
    /// plus clinicians and organizations when the query asks for _include.
    /// </summary>
    public byte[] Search(string type, bool withIncludes) =>
        (withIncludes ? _searchesWithIncludes : _searches).GetValueOrDefault(type)
        ?? FhirJson.SerializeToUtf8Bytes(new Bundle { Type = Bundle.BundleType.Searchset, Total = 0 });
}
