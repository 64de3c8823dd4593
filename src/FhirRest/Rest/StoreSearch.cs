using Hl7.Fhir.Model;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Storage;

namespace SpinePolicy.FhirRest.Rest;

/// <summary>
/// Turns a checked <see cref="SearchRequest"/> on a stored type into the store's
/// <see cref="ResourceSearch"/>. Ids, patients and statuses are single-valued on a resource, so
/// repeated parameters intersect their lists; identifiers are many, so each occurrence stays a group.
/// Null when the criteria cannot match anything (e.g. <c>_lastUpdated=lt0001-01-01</c>).
/// </summary>
internal static class StoreSearch
{
    public static ResourceSearch? From(SearchRequest search)
    {
        var lastUpdated = search.Dates("_lastUpdated");
        var created = search.Criteria.FirstOrDefault(c => c.Type == SearchParamType.Date && c.Name != "_lastUpdated") is { } createdCriterion
            ? search.Dates(createdCriterion.Name)
            : DateSearchBounds.Any;
        var ids = AnyOf(search, "_id", ValidId);
        var patients = AnyOf(search, "patient", PatientId);
        var statuses = AnyOf(search, "status", value => value);
        if (lastUpdated.Empty || created.Empty || ids is [] || patients is [] || statuses is [])
        {
            return null;
        }

        return new ResourceSearch(search.ResourceType)
        {
            Ids = ids ?? [],
            PatientIds = patients ?? [],
            Statuses = statuses ?? [],
            Identifiers = [.. search.Of("identifier").Select(c => c.Tokens.Select(t => new IdentifierToken(t.System, t.Code)).ToList())],
            CreatedFrom = created.From,
            CreatedTo = created.To,
            LastUpdatedFrom = lastUpdated.From,
            LastUpdatedTo = lastUpdated.To,
            Count = search.CountOnly ? 0 : search.Count,
            NewestFirst = search.NewestFirst,
            After = search.Cursor,
            IncludeTotal = search.IncludeTotal || search.CountOnly,
        };
    }

    /// <summary>The values any of which may match, intersected over repeats; null when the parameter is absent.</summary>
    private static List<string>? AnyOf(SearchRequest search, string name, Func<string, string> read)
    {
        List<string>? allowed = null;
        foreach (var criterion in search.Of(name))
        {
            var values = criterion.Values.Select(v => read(SearchValues.Unescape(v))).Distinct(StringComparer.Ordinal).ToList();
            allowed = allowed is null ? values : [.. allowed.Intersect(values, StringComparer.Ordinal)];
        }

        return allowed;
    }

    /// <summary>"Patient/123", "123", or an absolute URL ending in Patient/123.</summary>
    private static string PatientId(string value)
    {
        var segments = value.Split('/');
        var id = segments.Length >= 2 && segments[^2] == "Patient" ? segments[^1]
            : segments.Length == 1 ? value
            : throw FhirHttpException.BadRequest("patient must be Patient/{id} or {id}.");
        return ValidId(id);
    }

    private static string ValidId(string value) =>
        FhirIds.IsValid(value) ? value : throw FhirHttpException.BadRequest($"'{value}' is not a valid FHIR id.");
}
