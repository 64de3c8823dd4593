using System.Globalization;
using System.Text;

namespace SpinePolicy.Storage.Relational;

/// <summary>
/// Turns a <see cref="ResourceSearch"/> into the WHERE and ORDER BY of a parameterized query over
/// the shared table shape (resource_current aliased "c", resource_identifier). Values only ever
/// travel as parameters; the dialect decides how an instant is stored.
/// </summary>
internal sealed class SearchSql
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
        sql.AddAnyOf(search.Ids, "c.id", "@id");
        sql.AddAnyOf(search.PatientIds, "c.patient_id", "@patient");
        sql.AddAnyOf(search.Statuses, "c.status", "@status");
        if (search.Outcome is { } outcome)
        {
            sql.Add("c.outcome = @outcome", "@outcome", outcome);
        }
        sql.AddTime(search.CreatedFrom, "c.created >= @createdFrom", "@createdFrom");
        sql.AddTime(search.CreatedTo, "c.created <= @createdTo", "@createdTo");
        sql.AddTime(search.LastUpdatedFrom, "c.last_updated >= @updatedFrom", "@updatedFrom");
        sql.AddTime(search.LastUpdatedTo, "c.last_updated <= @updatedTo", "@updatedTo");
        for (var group = 0; group < search.Identifiers.Count; group++)
        {
            sql.AddIdentifierGroup(search.Identifiers[group], group);
        }

        if (search.OwnerKey is not null)
        {
            // The owner is indexed as a token under the owner tag's system (SearchColumnExtractor).
            sql.Add(
                "EXISTS (SELECT 1 FROM resource_identifier o WHERE o.resource_type = c.resource_type AND o.id = c.id AND o.system = @ownerSystem AND o.value = @owner)",
                "@owner",
                search.OwnerKey);
            sql._parameters.Add(new("@ownerSystem", Fhir.Security.OwnerTag.System));
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
        Append(condition);
        _parameters.Add(new(name, value));
    }

    /// <summary>column IN (@p0, @p1, …): any of the values matches.</summary>
    private void AddAnyOf(IReadOnlyList<string> values, string column, string name)
    {
        if (values.Count == 0)
        {
            return;
        }

        var names = new List<string>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            var parameter = string.Create(CultureInfo.InvariantCulture, $"{name}{i}");
            names.Add(parameter);
            _parameters.Add(new(parameter, values[i]));
        }

        Append(values.Count == 1 ? $"{column} = {names[0]}" : $"{column} IN ({string.Join(", ", names)})");
    }

    /// <summary>One identifier of the resource matches one of the tokens.</summary>
    private void AddIdentifierGroup(IReadOnlyList<IdentifierToken> tokens, int group)
    {
        if (tokens.Count == 0)
        {
            return;
        }

        var alternatives = new List<string>(tokens.Count);
        for (var i = 0; i < tokens.Count; i++)
        {
            var conditions = new List<string>(2);
            var prefix = string.Create(CultureInfo.InvariantCulture, $"@identifier{group}_{i}");
            if (tokens[i].Value is { } value)
            {
                conditions.Add($"i.value = {prefix}v");
                _parameters.Add(new($"{prefix}v", value));
            }

            if (tokens[i].System is { Length: 0 })
            {
                conditions.Add("(i.system IS NULL OR i.system = '')");
            }
            else if (tokens[i].System is { } system)
            {
                conditions.Add($"i.system = {prefix}s");
                _parameters.Add(new($"{prefix}s", system));
            }

            alternatives.Add(conditions.Count == 0 ? "1 = 1" : string.Join(" AND ", conditions));
        }

        Append($"EXISTS (SELECT 1 FROM resource_identifier i WHERE i.resource_type = c.resource_type AND i.id = c.id AND (({string.Join(") OR (", alternatives)})))");
    }

    private void Append(string condition)
    {
        if (_filters.Length > 0)
        {
            _filters.Append(" AND ");
        }

        _filters.Append(condition);
    }

    private void AddTime(DateTimeOffset? value, string condition, string name)
    {
        if (value is { } instant)
        {
            Add(condition, name, instant);
        }
    }
}
