using Hl7.Fhir.Model;
using Xunit.Sdk;

namespace SpinePolicy.TestKit.Validation;

/// <summary>
/// Checks that no profile states but DTR/PAS clients rely on. Each Find… method returns the
/// problems (empty when fine) so a test can assert on them; each Assert… method fails listing them.
/// </summary>
public static class ConformanceChecks
{
    public const string CqlContentType = "text/cql";
    public const string ElmJsonContentType = "application/elm+json";
    public const string CqfLibraryExtension = "http://hl7.org/fhir/StructureDefinition/cqf-library";

    /// <summary>DTR clients execute the ELM JSON and show the CQL: a Library needs both.</summary>
    public static IReadOnlyList<string> FindLibraryContentProblems(Library library)
    {
        ArgumentNullException.ThrowIfNull(library);
        var types = library.Content.Select(a => a.ContentType).ToList();
        var problems = new List<string>();
        foreach (var required in new[] { CqlContentType, ElmJsonContentType })
        {
            var attachment = library.Content.FirstOrDefault(a => string.Equals(a.ContentType, required, StringComparison.Ordinal));
            if (attachment is null)
            {
                problems.Add($"Library {library.Url ?? library.Id} has no {required} content (has: {string.Join(", ", types)}).");
            }
            else if (attachment.Data is not { Length: > 0 } && string.IsNullOrEmpty(attachment.Url))
            {
                problems.Add($"Library {library.Url ?? library.Id} has an empty {required} attachment.");
            }
        }

        return problems;
    }

    public static void AssertLibraryCarriesCqlAndElmJson(Library library) =>
        FailIfAny(FindLibraryContentProblems(library), "Library content");

    /// <summary>Every cqf-library a Questionnaire names must be a Library inside the same Bundle.</summary>
    public static IReadOnlyList<string> FindUnresolvedCqfLibraries(Questionnaire questionnaire, Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(questionnaire);
        ArgumentNullException.ThrowIfNull(bundle);
        var libraries = bundle.Entry.Select(e => e.Resource).OfType<Library>().ToList();
        return questionnaire.GetExtensions(CqfLibraryExtension)
            .Select(extension => (extension.Value as Canonical)?.Value ?? (extension.Value as FhirUri)?.Value)
            .Where(canonical => canonical is null || !libraries.Any(library => CanonicalMatches(library, canonical)))
            .Select(canonical => $"Questionnaire {questionnaire.Url ?? questionnaire.Id}: cqf-library {canonical ?? "(no value)"} is not a Library in the Bundle.")
            .ToList();
    }

    public static void AssertCqfLibrariesResolveInBundle(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var problems = bundle.Entry.Select(e => e.Resource).OfType<Questionnaire>()
            .SelectMany(q => FindUnresolvedCqfLibraries(q, bundle))
            .ToList();
        FailIfAny(problems, "cqf-library resolution");
    }

    /// <summary>
    /// A RESTful fullUrl must end in the entry's type and id (FHIR R4 Bundle rules: the fullUrl
    /// "SHALL NOT disagree with the id in the resource"); a urn:uuid fullUrl needs no id match.
    /// </summary>
    public static IReadOnlyList<string> FindFullUrlMismatches(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var problems = new List<string>();
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var entry = bundle.Entry[i];
            if (entry.Resource is null || string.IsNullOrEmpty(entry.FullUrl) || IsUuidUrn(entry.FullUrl))
            {
                continue;
            }

            var expectedTail = $"{entry.Resource.TypeName}/{entry.Resource.Id}";
            if (entry.Resource.Id is null || !entry.FullUrl.EndsWith("/" + expectedTail, StringComparison.Ordinal))
            {
                problems.Add($"Bundle.entry[{i}]: fullUrl {entry.FullUrl} does not match {expectedTail}.");
            }
        }

        return problems;
    }

    public static void AssertFullUrlsMatchIds(Bundle bundle) => FailIfAny(FindFullUrlMismatches(bundle), "fullUrl/id agreement");

    /// <summary>
    /// Every literal reference inside the Bundle's resources resolves to an entry (by fullUrl, by
    /// Type/id against the entry's base, or by urn:uuid). Contained references (#id) and
    /// logical references (identifier only) are not literal and are skipped.
    /// </summary>
    public static IReadOnlyList<string> FindUnresolvedReferences(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var fullUrls = new HashSet<string>(bundle.Entry.Select(e => e.FullUrl).OfType<string>(), StringComparer.Ordinal);
        var typeAndIds = new HashSet<string>(
            bundle.Entry.Select(e => e.Resource).Where(r => r?.Id is not null).Select(r => $"{r!.TypeName}/{r.Id}"),
            StringComparer.Ordinal);

        var problems = new List<string>();
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var entry = bundle.Entry[i];
            if (entry.Resource is null)
            {
                continue;
            }

            foreach (var reference in Descendants(entry.Resource).OfType<ResourceReference>())
            {
                var target = reference.Reference;
                if (string.IsNullOrEmpty(target) || target.StartsWith('#') || Resolves(target, entry.FullUrl, fullUrls, typeAndIds))
                {
                    continue;
                }

                problems.Add($"Bundle.entry[{i}] ({entry.Resource.TypeName}/{entry.Resource.Id}): reference {target} does not resolve inside the Bundle.");
            }
        }

        return problems;
    }

    public static void AssertReferencesResolveInBundle(Bundle bundle) =>
        FailIfAny(FindUnresolvedReferences(bundle), "reference resolution");

    private static bool Resolves(string target, string? entryFullUrl, HashSet<string> fullUrls, HashSet<string> typeAndIds)
    {
        var versionless = StripHistory(target);
        if (fullUrls.Contains(target) || fullUrls.Contains(versionless))
        {
            return true;
        }

        if (Uri.TryCreate(versionless, UriKind.Absolute, out _))
        {
            return false;
        }

        // A relative Type/id reference resolves against the referencing entry's RESTful base
        // (FHIR R4 §2.36.4.1); with no such base, match on type and id.
        if (entryFullUrl is not null && !IsUuidUrn(entryFullUrl) && TryBase(entryFullUrl) is { } baseUrl)
        {
            return fullUrls.Contains(baseUrl + versionless) || typeAndIds.Contains(versionless);
        }

        return typeAndIds.Contains(versionless);
    }

    private static IEnumerable<Base> Descendants(Base node)
    {
        foreach (var element in node.EnumerateElements())
        {
            var children = element.Value switch
            {
                Base single => [single],
                IEnumerable<Base> many => many,
                _ => [],
            };
            foreach (var child in children)
            {
                yield return child;
                foreach (var descendant in Descendants(child))
                {
                    yield return descendant;
                }
            }
        }
    }

    private static string? TryBase(string fullUrl)
    {
        // https://host/fhir/Patient/123 → https://host/fhir/
        var parts = fullUrl.Split('/');
        return parts.Length >= 2 ? string.Join('/', parts[..^2]) + "/" : null;
    }

    private static string StripHistory(string reference)
    {
        var history = reference.IndexOf("/_history/", StringComparison.Ordinal);
        return history < 0 ? reference : reference[..history];
    }

    private static bool IsUuidUrn(string url) => url.StartsWith("urn:uuid:", StringComparison.Ordinal) || url.StartsWith("urn:oid:", StringComparison.Ordinal);

    private static bool CanonicalMatches(Library library, string canonical)
    {
        var bar = canonical.IndexOf('|', StringComparison.Ordinal);
        var url = bar < 0 ? canonical : canonical[..bar];
        var version = bar < 0 ? null : canonical[(bar + 1)..];
        return string.Equals(library.Url, url, StringComparison.Ordinal)
            && (version is null || string.Equals(library.Version, version, StringComparison.Ordinal));
    }

    private static void FailIfAny(IReadOnlyList<string> problems, string what)
    {
        if (problems.Count > 0)
        {
            throw new XunitException($"{what} failed:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}");
        }
    }
}
