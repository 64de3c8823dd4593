using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.PriorAuthorization.Submission;

/// <summary>
/// Resolves references between the entries of a Bundle the way FHIR's Bundle rules do: by fullUrl
/// (absolute or urn:uuid), by a relative "Type/id" against the referring entry's base, and "#id"
/// against the referring resource's contained resources.
/// </summary>
internal sealed class BundleReferenceResolver
{
    private readonly Dictionary<string, Bundle.EntryComponent> _byFullUrl = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Bundle.EntryComponent> _byTypeAndId = new(StringComparer.Ordinal);

    public BundleReferenceResolver(Bundle bundle)
    {
        foreach (var entry in bundle.Entry)
        {
            if (entry.FullUrl is { Length: > 0 } fullUrl)
            {
                _byFullUrl.TryAdd(fullUrl, entry);
            }

            if (entry.Resource is { Id: { Length: > 0 } id } resource)
            {
                _byTypeAndId.TryAdd($"{resource.TypeName}/{id}", entry);
            }
        }
    }

    /// <summary>
    /// Refuses a Bundle a reference could not be resolved in without guessing: FHIR's bdl-7 says a
    /// fullUrl is unique within a (non-history) Bundle. A request Bundle is checked before it is
    /// read; a stored one passed this check when it came in.
    /// </summary>
    public static void RequireUniqueFullUrls(Bundle bundle)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            if (bundle.Entry[i].FullUrl is { Length: > 0 } fullUrl && !seen.Add(fullUrl))
            {
                throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invariant,
                    $"Two entries of the Bundle have the fullUrl '{fullUrl}'; a fullUrl names one entry (FHIR rule bdl-7), else a reference to it is ambiguous.",
                    $"Bundle.entry[{i}].fullUrl");
            }
        }
    }

    /// <summary>The entry a reference points to, or null when the Bundle does not hold it.</summary>
    public Bundle.EntryComponent? Resolve(string? reference, Bundle.EntryComponent? from)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return null;
        }

        if (_byFullUrl.TryGetValue(reference, out var exact))
        {
            return exact;
        }

        if (from?.FullUrl is { } fromUrl && TryRestfulBase(fromUrl) is { } baseUrl && _byFullUrl.TryGetValue($"{baseUrl}/{reference}", out var relative))
        {
            return relative;
        }

        // Entries with urn:uuid fullUrls are still found by "Type/id" (as Inferno's bundles send them).
        var typeAndId = reference.Split('/');
        if (typeAndId.Length >= 2)
        {
            var key = $"{typeAndId[^2]}/{typeAndId[^1]}";
            if (_byTypeAndId.TryGetValue(key, out var byId))
            {
                return byId;
            }
        }

        return null;
    }

    /// <summary>A resource: a contained one ("#id") of <paramref name="container"/>, or a Bundle entry's.</summary>
    public Resource? ResolveResource(ResourceReference? reference, Bundle.EntryComponent? from, DomainResource? container = null)
    {
        if (reference?.Reference is not { } value)
        {
            return null;
        }

        if (value.StartsWith('#'))
        {
            var id = value[1..];
            return container?.Contained.FirstOrDefault(c => c.Id == id);
        }

        return Resolve(value, from)?.Resource;
    }

    private static string? TryRestfulBase(string fullUrl)
    {
        if (!fullUrl.StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var parts = fullUrl.TrimEnd('/').Split('/');
        return parts.Length > 2 ? string.Join('/', parts[..^2]) : null;
    }
}
