using System.Text.Json;

namespace SpinePolicy.CdsHooks.Resolution;

internal enum EhrFetchStatus
{
    Found,

    /// <summary>The EHR answered 404, or a search found nothing.</summary>
    NotFound,

    /// <summary>Fetching was tried and failed: timeout, error status, unreachable, not JSON.</summary>
    Unavailable,

    /// <summary>Not in prefetch, and the request gave no fhirServer/fhirAuthorization to fetch it (CDS Hooks: 412).</summary>
    NotFetchable,
}

/// <summary>The outcome of getting one piece of data, from prefetch or from the EHR.</summary>
internal sealed record EhrFetch(EhrFetchStatus Status, IReadOnlyList<JsonElement> Resources, string? Problem)
{
    public static EhrFetch Found(IReadOnlyList<JsonElement> resources) =>
        resources.Count == 0 ? new(EhrFetchStatus.NotFound, [], "nothing was found") : new(EhrFetchStatus.Found, resources, null);

    public static EhrFetch Found(JsonElement resource) => new(EhrFetchStatus.Found, [resource], null);

    public static EhrFetch NotFound(string problem) => new(EhrFetchStatus.NotFound, [], problem);

    public static EhrFetch Unavailable(string problem) => new(EhrFetchStatus.Unavailable, [], problem);

    public static EhrFetch NotFetchable(string problem) => new(EhrFetchStatus.NotFetchable, [], problem);
}
