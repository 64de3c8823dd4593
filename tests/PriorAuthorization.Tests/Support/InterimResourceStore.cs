using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.Storage;

namespace SpinePolicy.PriorAuthorization.Tests.Support;

/// <summary>
/// Used only while the host registers no store of its own (before the storage slice is merged):
/// the IResourceStore contract (atomic batches, unique keys, version checks) in memory.
/// </summary>
public sealed class InterimResourceStore : IResourceStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Type, string Id), List<StoredResource>> _versions = [];
    private readonly Dictionary<(string Type, string Key), string> _keys = [];

    public Task<IReadOnlyList<StoredResource>> SaveAsync(IReadOnlyList<ResourceWrite> writes, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var write in writes)
            {
                var id = write.Resource.Id;
                if (write.UniqueKey is { } key && _keys.TryGetValue((write.Resource.TypeName, key), out var holder) && holder != id)
                {
                    throw new DuplicateKeyException();
                }

                if (write.IfMatchVersion is { } expected && (id is null || !_versions.TryGetValue((write.Resource.TypeName, id), out var list) || list[^1].VersionId != expected))
                {
                    throw new VersionConflictException();
                }
            }

            var saved = new List<StoredResource>();
            foreach (var write in writes)
            {
                var resource = write.Resource;
                resource.Id ??= Guid.NewGuid().ToString("N");
                var slot = (resource.TypeName, resource.Id);
                if (!_versions.TryGetValue(slot, out var list))
                {
                    _versions[slot] = list = [];
                }

                var version = list.Count + 1;
                resource.Meta ??= new Meta();
                resource.Meta.VersionId = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
                resource.Meta.LastUpdated = DateTimeOffset.UtcNow;
                var stored = new StoredResource(resource.TypeName, resource.Id, version, resource.Meta.LastUpdated.Value, FhirJson.Serialize(resource));
                list.Add(stored);
                if (write.UniqueKey is { } key)
                {
                    _keys[(resource.TypeName, key)] = resource.Id;
                }

                saved.Add(stored);
            }

            return Task.FromResult<IReadOnlyList<StoredResource>>(saved);
        }
    }

    public Task<StoredResource?> ReadAsync(string resourceType, string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_versions.TryGetValue((resourceType, id), out var list) ? list[^1] : null);
        }
    }

    public Task<StoredResource?> ReadVersionAsync(string resourceType, string id, int versionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_versions.TryGetValue((resourceType, id), out var list) ? list.FirstOrDefault(v => v.VersionId == versionId) : null);
        }
    }

    public Task<StoredResource?> FindByUniqueKeyAsync(string resourceType, string uniqueKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_keys.TryGetValue((resourceType, uniqueKey), out var id) ? _versions[(resourceType, id)][^1] : null);
        }
    }

    public Task<SearchPage> SearchAsync(ResourceSearch search, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var current = _versions.Where(v => v.Key.Type == search.ResourceType).Select(v => v.Value[^1]).ToList();
            return Task.FromResult(new SearchPage(current, null, current.Count));
        }
    }
}
