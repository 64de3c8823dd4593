using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.Storage;

namespace SpinePolicy.TestKit.Storage;

/// <summary>
/// Makes a race happen on cue: installed around the server's <see cref="IResourceStore"/>, it lets
/// a test run "someone else's" request once, just before a chosen batch of writes reaches the
/// store — after the request under test read what it changes, before its conditional write.
/// Unarmed, it passes everything through unchanged.
/// </summary>
public sealed class StoreInterference
{
    private readonly Lock _gate = new();
    private Func<IReadOnlyList<ResourceWrite>, bool>? _when;
    private Func<Task>? _interfere;

    /// <summary>How many times the interference ran (0 or 1 per arming).</summary>
    public int Ran { get; private set; }

    /// <summary>Replaces the registered store with one that consults this interference first.</summary>
    public void Install(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IResourceStore));
        services.Remove(original);
        services.AddSingleton<IResourceStore>(provider => new InterferedStore(Resolve(original, provider), this));
    }

    /// <summary>Runs <paramref name="interfere"/> once, before the next batch <paramref name="when"/> picks is saved.</summary>
    public void BeforeNextSave(Func<IReadOnlyList<ResourceWrite>, bool> when, Func<Task> interfere)
    {
        lock (_gate)
        {
            _when = when;
            _interfere = interfere;
        }
    }

    /// <summary>Picks a batch that writes a resource of this type conditionally (If-Match, or the version a service read).</summary>
    public static Func<IReadOnlyList<ResourceWrite>, bool> ConditionalWriteOf(string resourceType) =>
        writes => writes.Any(w => w.IfMatchVersion is not null && w.Resource.TypeName == resourceType);

    private async Task BeforeSaveAsync(IReadOnlyList<ResourceWrite> writes)
    {
        Func<Task>? interfere;
        lock (_gate)
        {
            if (_when is null || !_when(writes))
            {
                return;
            }

            interfere = _interfere;
            _when = null;
            _interfere = null;
        }

        await interfere!();
        Ran++;
    }

    private static IResourceStore Resolve(ServiceDescriptor descriptor, IServiceProvider provider) =>
        (IResourceStore)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!));

    private sealed class InterferedStore(IResourceStore inner, StoreInterference interference) : IResourceStore
    {
        public async Task<IReadOnlyList<StoredResource>> SaveAsync(IReadOnlyList<ResourceWrite> writes, CancellationToken cancellationToken)
        {
            await interference.BeforeSaveAsync(writes);
            return await inner.SaveAsync(writes, cancellationToken);
        }

        public Task<bool> DeleteAsync(string resourceType, string id, CancellationToken cancellationToken) => inner.DeleteAsync(resourceType, id, cancellationToken);

        public Task<StoredResource?> ReadAsync(string resourceType, string id, CancellationToken cancellationToken) => inner.ReadAsync(resourceType, id, cancellationToken);

        public Task<StoredResource?> ReadVersionAsync(string resourceType, string id, int versionId, CancellationToken cancellationToken) => inner.ReadVersionAsync(resourceType, id, versionId, cancellationToken);

        public Task<StoredResource?> FindByUniqueKeyAsync(string resourceType, string uniqueKey, CancellationToken cancellationToken) => inner.FindByUniqueKeyAsync(resourceType, uniqueKey, cancellationToken);

        public Task<SearchPage> SearchAsync(ResourceSearch search, CancellationToken cancellationToken) => inner.SearchAsync(search, cancellationToken);
    }
}
