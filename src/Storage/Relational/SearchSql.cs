using System.Globalization;
using System.Text;

namespace SpinePolicy.Storage.Relational;

/// <summary>
/// Turns a <see cref="ResourceSearch"/> into the WHERE and ORDER BY of a parameterized query over
/// the shared table shape (resource_current aliased "c", resource_identifier). Values only ever
/// travel as parameters; the dialect decides how an instant is stored.
/// </summary>
public sealed class SearchSql
{
    private readonly List<KeyValuePair<string, object?>> _parameters = [];
    private readonly StringBuilder _filters = new();

    private SearchSql()
    {
    }

    /// <summary>Conditions shared by the page query and the total count.</summary>
    public string Filters => _filters.ToString();

    /// <summary>The filters plus the keyset condition that starts after the previous page.</summary>
    public string PageFilters { get; private set; } = string.Empty;

    public string OrderBy { get; private set; } = string.Empty;

    public IReadOnlyList<KeyValuePair<string, object?>> Parameters => _parameters;

    public static SearchSql Build(ResourceSearch search)
    {
        var sql = new SearchSql();
        sql.Add("c.resource_type = @type", "@type", search.ResourceType);
        sql.AddIf(search.Id, "c.id = @id", "@id");
        sql.AddIf(search.PatientId, "c.patient_id = @patient", "@patient");
        sql.AddIf(search.Status, "c.status = @status", "@status");
        sql.AddTime(search.CreatedFrom, "c.created >= @createdFrom", "@createdFrom");
        sql.AddTime(search.CreatedTo, "c.created <= @createdTo", "@createdTo");
        sql.AddTime(search.LastUpdatedFrom, "c.last_updated >= @updatedFrom", "@updatedFrom");
        sql.AddTime(search.LastUpdatedTo, "c.last_updated <= @updatedTo", "@updatedTo");
        if (search.IdentifierValue is not null)
        {
            var condition = "EXISTS (SELECT 1 FROM resource_identifier i WHERE i.resource_type = c.resource_type AND i.id = c.id AND i.value = @identifierValue"
                + (search.IdentifierSystem is null ? ")" : " AND i.system = @identifierSystem)");
            sql.Add(condition, "@identifierValue", search.IdentifierValue);
            if (search.IdentifierSystem is not null)
            {
                sql._parameters.Add(new("@identifierSystem", search.IdentifierSystem));
            }
        }

        var direction = search.NewestFirst ? "DESC" : "ASC";
        sql.OrderBy = string.Create(CultureInfo.InvariantCulture, $"c.last_updated {direction}, c.id {direction}");
        sql.PageFilters = sql.Filters;
        if (search.After is not null)
        {
            var token = PageToken.Decode(search.After);
            var comparison = search.NewestFirst ? "<" : ">";
            sql.PageFilters += string.Create(CultureInfo.InvariantCulture,
                $" AND (c.last_updated {comparison} @afterUpdated OR (c.last_updated = @afterUpdated AND c.id {comparison} @afterId))");
            sql._parameters.Add(new("@afterUpdated", token.LastUpdated));
            sql._parameters.Add(new("@afterId", token.Id));
        }

        return sql;
    }

    /// <summary>_count within 1..1000 (0 means "total only", answered without reading rows).</summary>
    public static int PageSize(ResourceSearch search) => Math.Clamp(search.Count, 0, ResourceSearch.MaxCount);

    private void Add(string condition, string name, object value)
    {
        if (_filters.Length > 0)
        {
            _filters.Append(" AND ");
        }

        _filters.Append(condition);
        _parameters.Add(new(name, value));
    }

    private void AddIf(string? value, string condition, string name)
    {
        if (value is not null)
        {
            Add(condition, name, value);
        }
    }

    private void AddTime(DateTimeOffset? value, string condition, string name)
    {
        if (value is { } instant)
        {
            Add(condition, name, instant);
        }
    }
}
