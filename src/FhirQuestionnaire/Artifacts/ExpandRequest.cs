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
public sealed record ExpandRequest(string? Canonical, ValueSet? ValueSet)
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
        foreach (var parameter in parameters.Parameter)
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
            return url is null ? new ExpandRequest(null, valueSet) : throw FhirHttpException.BadRequest("Give either 'url' or 'valueSet', not both.");
        }

        if (url is null)
        {
            throw FhirHttpException.Required("$expand needs 'url' (the value set's canonical) or an inline 'valueSet'.", "url");
        }

        return new ExpandRequest(version is null ? url : $"{url.Split('|')[0]}|{version}", null);
    }

    private static string? Single(string value) => value.Length == 0 ? null : value;

    private static FhirHttpException Unsupported(string name) =>
        FhirHttpException.BadRequest($"$expand parameter '{name}' is not supported here; use url (optionally url|version or valueSetVersion) or valueSet.");
}
