using System.Text.Json;
using SpinePolicy.CdsHooks.Protocol;

namespace SpinePolicy.CdsHooks.Resolution;

/// <summary>
/// The data one hook call can see: prefetch first, then the EHR's FHIR server (CDS Hooks 2.0
/// "prefetch, else fetch"). All fetches share one deadline token, so missing pieces are fetched in
/// parallel and the whole call waits at most the configured deadline. Nothing is fetched from a
/// fhirServer the signing EHR's allow-list does not name (<paramref name="fhirServerAllowed"/>): the
/// prefetch is still used, and what it lacks is "not fetchable", as if no fhirServer had been sent.
/// </summary>
internal sealed class HookData(HookRequest request, EhrFhirClient ehr, bool fhirServerAllowed, CancellationToken deadline)
{
    private Dictionary<string, JsonElement>? _prefetchIndex;

    public HookRequest Request => request;

    /// <summary>The prefetch value under <paramref name="key"/> as resources (a Bundle is unfolded).</summary>
    public IReadOnlyList<JsonElement>? FromPrefetch(string key) =>
        request.Prefetch.TryGetValue(key, out var value) ? Unfold(value).ToList() : null;

    /// <summary>A prefetch key, else the same query against the EHR.</summary>
    public Task<EhrFetch> SearchAsync(string prefetchKey, string resourceType, string query, CancellationToken cancellationToken)
    {
        if (FromPrefetch(prefetchKey) is { } found)
        {
            var matching = found.Where(r => ResourceTypeOf(r) == resourceType).ToList();
            return Task.FromResult(matching.Count == 0
                ? EhrFetch.NotFound($"prefetch '{prefetchKey}' holds no {resourceType}")
                : EhrFetch.Found(matching));
        }

        return FetchAsync(query, resourceType, bundle: true, cancellationToken);
    }

    /// <summary>A resource by type and id: any prefetch value holding it, else a read from the EHR.</summary>
    public Task<EhrFetch> ReadAsync(string resourceType, string id, CancellationToken cancellationToken)
    {
        if (PrefetchIndex().TryGetValue($"{resourceType}/{id}", out var found))
        {
            return Task.FromResult(EhrFetch.Found(found));
        }

        return FetchAsync($"{resourceType}/{Uri.EscapeDataString(id)}", resourceType, bundle: false, cancellationToken);
    }

    /// <summary>Reads a relative reference "Type/id"; anything else is not resolvable.</summary>
    public Task<EhrFetch> ReadReferenceAsync(string reference, CancellationToken cancellationToken)
    {
        var parts = reference.Split('/');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return Task.FromResult(EhrFetch.NotFound($"'{reference}' is not a relative reference"));
        }

        return ReadAsync(parts[0], parts[1], cancellationToken);
    }

    public static string? ResourceTypeOf(JsonElement resource) =>
        resource.ValueKind == JsonValueKind.Object && resource.TryGetProperty("resourceType", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;

    public static string? IdOf(JsonElement resource) =>
        resource.ValueKind == JsonValueKind.Object && resource.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;

    /// <summary>
    /// A Bundle the request carries (draftOrders, appointments, a prefetched searchset) must be shaped
    /// as FHIR JSON writes one: entry an array of objects, each resource a JSON object with its
    /// resourceType (and, when <paramref name="resourcesRequired"/>, every entry holding one).
    /// Otherwise its orders would be lost without a word; it is the caller's 422 naming the element.
    /// </summary>
    public static void CheckBundle(JsonElement bundle, string path, bool resourcesRequired)
    {
        if (!bundle.TryGetProperty("entry", out var entries))
        {
            return;
        }

        if (entries.ValueKind != JsonValueKind.Array)
        {
            throw CdsRequestException.BadFhir("invalid-fhir", $"{path}.entry must be a JSON array of entries (FHIR JSON writes a repeating element as an array, even of one).", $"{path}.entry");
        }

        var index = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            var at = $"{path}.entry[{index++}]";
            if (entry.ValueKind != JsonValueKind.Object)
            {
                throw CdsRequestException.BadFhir("invalid-fhir", $"{at} must be a JSON object (a Bundle entry).", at);
            }

            if (!entry.TryGetProperty("resource", out var resource))
            {
                if (resourcesRequired)
                {
                    throw CdsRequestException.BadFhir("invalid-fhir", $"{at}.resource is missing: every entry of {path} holds a resource.", $"{at}.resource");
                }

                continue;
            }

            if (ResourceTypeOf(resource) is null)
            {
                throw CdsRequestException.BadFhir("invalid-fhir", $"{at}.resource must be a JSON object holding a FHIR resource (with its resourceType).", $"{at}.resource");
            }
        }
    }

    /// <summary>The resources of a Bundle's entries, or the resource itself when it is not a Bundle.</summary>
    public static IEnumerable<JsonElement> Unfold(JsonElement value)
    {
        if (ResourceTypeOf(value) != "Bundle")
        {
            if (ResourceTypeOf(value) is not null)
            {
                yield return value;
            }

            yield break;
        }

        if (!value.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("resource", out var resource) && ResourceTypeOf(resource) is not null)
            {
                yield return resource;
            }
        }
    }

    private async Task<EhrFetch> FetchAsync(string relativeUrl, string resourceType, bool bundle, CancellationToken cancellationToken)
    {
        if (!request.CanFetch)
        {
            return EhrFetch.NotFetchable($"the {resourceType} was not prefetched and the request has no fhirServer and fhirAuthorization to fetch it");
        }

        if (!fhirServerAllowed)
        {
            return EhrFetch.NotFetchable($"the {resourceType} was not prefetched, and the request's fhirServer is not one this EHR is configured to let the service call");
        }

        if (deadline.IsCancellationRequested)
        {
            return EhrFetch.Unavailable($"the EHR's FHIR server did not answer in time for the {resourceType}");
        }

        // The caller's token (the HTTP request) and the fetch deadline both stop the fetch.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline, cancellationToken);
        var fetched = await ehr.GetAsync(request.FhirServer!, request.AccessToken!, relativeUrl, resourceType, linked.Token);
        cancellationToken.ThrowIfCancellationRequested();
        if (fetched.Status != EhrFetchStatus.Found)
        {
            return fetched;
        }

        var resources = Unfold(fetched.Resources[0]).Where(r => ResourceTypeOf(r) == resourceType).ToList();
        if (!bundle && resources.Count == 0)
        {
            return EhrFetch.Unavailable($"the EHR's FHIR server returned something other than a {resourceType}");
        }

        return resources.Count == 0 ? EhrFetch.NotFound($"the EHR has no matching {resourceType}") : EhrFetch.Found(resources);
    }

    private Dictionary<string, JsonElement> PrefetchIndex()
    {
        if (_prefetchIndex is not null)
        {
            return _prefetchIndex;
        }

        var index = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var value in request.Prefetch.Values)
        {
            foreach (var resource in Unfold(value))
            {
                if (ResourceTypeOf(resource) is { } type && IdOf(resource) is { } id)
                {
                    index.TryAdd($"{type}/{id}", resource);
                }
            }
        }

        return _prefetchIndex = index;
    }
}
