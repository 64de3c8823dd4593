using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.FhirQuestionnaire.Artifacts;

/// <summary>
/// The inputs of ValueSet/$expand we support, from the query (GET) or a Parameters body (POST):
/// <c>url</c> (a canonical, <c>url|version</c> allowed) with optional <c>valueSetVersion</c>, or a
/// <c>valueSet</c> given inline. Any other input (filter, count, …) would change the answer, so it
/// is refused rather than ignored.
/// </summary>
internal sealed record ExpandRequest(string? Canonical, ValueSet? ValueSet)
{
    private static readonly HashSet<string> ShapeParameters = new(StringComparer.Ordinal) { "_format", "_summary", "_elements" };

    public static ExpandRequest FromQuery(IQueryCollection query)
    {
        foreach (var name in query.Keys.Where(k => k is not ("url" or "valueSetVersion") && !ShapeParameters.Contains(k)))
        {
            throw Unsupported(name);
        }

        return FromInputs(Single(query["url"].ToString()), Single(query["valueSetVersion"].ToString()), null);
    }

    public static ExpandRequest FromParameters(Parameters parameters)
    {
        string? url = null;
        string? version = null;
        ValueSet? valueSet = null;
        foreach (var parameter in OperationParameters.CheckInvariant(parameters).Parameter)
        {
            switch (parameter.Name)
            {
                case "url":
                    url = parameter.Value is PrimitiveType { JsonValue: string text } ? text : throw FhirHttpException.BadRequest("Parameter 'url' must be a uri.");
                    break;
                case "valueSetVersion":
                    version = parameter.Value is PrimitiveType { JsonValue: string text2 } ? text2 : throw FhirHttpException.BadRequest("Parameter 'valueSetVersion' must be a string.");
                    break;
                case "valueSet":
                    valueSet = parameter.Resource as ValueSet ?? throw FhirHttpException.BadRequest("Parameter 'valueSet' must hold a ValueSet.");
                    break;
                default:
                    throw Unsupported(parameter.Name ?? "(unnamed)");
            }
        }

        return FromInputs(url, version, valueSet);
    }

    private static ExpandRequest FromInputs(string? url, string? version, ValueSet? valueSet)
    {
        if (valueSet is not null)
        {
            if (version is not null)
            {
                throw FhirHttpException.BadRequest("'valueSetVersion' goes with 'url'; an inline 'valueSet' is expanded as given.");
            }

            return url is null ? new ExpandRequest(null, valueSet) : throw FhirHttpException.BadRequest("Give either 'url' or 'valueSet', not both.");
        }

        if (url is null)
        {
            throw FhirHttpException.Required("$expand needs 'url' (the value set's canonical) or an inline 'valueSet'.", "url");
        }

        return new ExpandRequest(Versioned(url, version), null);
    }

    /// <summary>
    /// The instance-level $expand (ValueSet/{id}/$expand) of a published value set: only
    /// <c>valueSetVersion</c> may be given, and it must be the version that resource is.
    /// </summary>
    public static void CheckInstanceQuery(IQueryCollection query, ValueSet valueSet, string name)
    {
        foreach (var key in query.Keys.Where(k => k != "valueSetVersion" && !ShapeParameters.Contains(k)))
        {
            throw FhirHttpException.BadRequest($"$expand parameter '{key}' is not supported on {name}/$expand; use valueSetVersion, or ValueSet/$expand with url.");
        }

        if (Single(query["valueSetVersion"].ToString()) is { } version && version != valueSet.Version)
        {
            throw FhirHttpException.NotFound($"{name} is version {valueSet.Version}, not {version}; ValueSet/$expand?url={valueSet.Url}|{version} finds another version if it is published.");
        }
    }

    /// <summary>
    /// The canonical to expand: <c>url|version</c> as given, or <c>url</c> with <c>valueSetVersion</c>.
    /// Two different versions (one in the url, another in valueSetVersion) are a contradiction, not a
    /// choice: refused rather than one silently preferred.
    /// </summary>
    private static string Versioned(string url, string? version)
    {
        var bar = url.IndexOf('|', StringComparison.Ordinal);
        var inUrl = bar < 0 ? null : url[(bar + 1)..];
        if (version is null)
        {
            return url;
        }

        if (inUrl is not null && inUrl != version)
        {
            throw FhirHttpException.BadRequest($"'url' names version {inUrl} and 'valueSetVersion' names {version}: give one version.");
        }

        return $"{(bar < 0 ? url : url[..bar])}|{version}";
    }

    private static string? Single(string value) => value.Length == 0 ? null : value;

    private static FhirHttpException Unsupported(string name) =>
        FhirHttpException.BadRequest($"$expand parameter '{name}' is not supported here; use url (optionally url|version or valueSetVersion) or valueSet.");
}
