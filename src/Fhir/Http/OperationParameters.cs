using System.Text.Json;
using Hl7.Fhir.Model;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// The one check every operation that takes Parameters makes before reading them, so all of them refuse
/// the same malformed input the same way (a 400 OperationOutcome naming the parameter):
/// <list type="bullet">
/// <item>FHIR's Parameters invariant inv-1, on every parameter and part: exactly one of value[x],
/// resource or part (Firely's parser does not check invariants, so a parameter with both a value
/// and a resource used to be read as whichever the operation looked at);</item>
/// <item>a parameter name the operation does not define: refused, never ignored, since a caller
/// who misspells an input would otherwise get an answer to a question it did not ask.</item>
/// </list>
/// Parameters read as Firely POCOs use <see cref="Check(Parameters, string, IReadOnlyCollection{string})"/>;
/// one read straight from its JSON (<c>$questionnaire-package</c>) uses <see cref="Check(JsonElement, string, IReadOnlyCollection{string})"/>.
/// Only top-level names are checked against <c>known</c>; each operation reads its parts itself.
/// </summary>
public static class OperationParameters
{
    /// <summary>Refuses a parameter or part that breaks inv-1, then any top-level name not in <paramref name="known"/> (all of them named in one issue).</summary>
    /// <param name="operation">The operation as the caller knows it, e.g. "$member-match".</param>
    /// <param name="known">The parameter names the operation defines (case-sensitive, as FHIR names are).</param>
    public static Parameters Check(Parameters parameters, string operation, IReadOnlyCollection<string> known)
    {
        CheckInvariant(parameters);
        RefuseUnknown(parameters.Parameter.Select(p => p.Name), operation, known);
        return parameters;
    }

    /// <summary>
    /// Only inv-1, for an operation that refuses names of its own in its own words (<c>ValueSet/$expand</c>,
    /// whose OperationDefinition defines inputs this server does not support).
    /// </summary>
    public static Parameters CheckInvariant(Parameters parameters)
    {
        for (var i = 0; i < parameters.Parameter.Count; i++)
        {
            CheckInvariant(parameters.Parameter[i], $"Parameters.parameter[{i}]");
        }

        return parameters;
    }

    /// <summary>The same check on Parameters still in JSON (structure errors are left to the operation's own reader).</summary>
    public static void Check(JsonElement parameters, string operation, IReadOnlyCollection<string> known)
    {
        if (parameters.ValueKind != JsonValueKind.Object || !parameters.TryGetProperty("parameter", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var names = new List<string?>();
        var index = 0;
        foreach (var parameter in list.EnumerateArray())
        {
            if (parameter.ValueKind == JsonValueKind.Object)
            {
                CheckInvariant(parameter, $"Parameters.parameter[{index}]");
                names.Add(parameter.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null);
            }

            index++;
        }

        RefuseUnknown(names, operation, known);
    }

    private static void CheckInvariant(Parameters.ParameterComponent parameter, string path)
    {
        Refuse(parameter.Name, path, parameter.Value is not null ? 1 : 0, parameter.Resource is not null, parameter.Part.Count > 0);
        for (var i = 0; i < parameter.Part.Count; i++)
        {
            CheckInvariant(parameter.Part[i], $"{path}.part[{i}]");
        }
    }

    private static void CheckInvariant(JsonElement parameter, string path)
    {
        var values = parameter.EnumerateObject()
            .Select(p => p.Name.TrimStart('_'))
            .Where(n => n.Length > "value".Length && n.StartsWith("value", StringComparison.Ordinal) && char.IsUpper(n["value".Length]))
            .Distinct(StringComparer.Ordinal)
            .Count();
        var hasPart = parameter.TryGetProperty("part", out var parts) && parts.ValueKind == JsonValueKind.Array && parts.GetArrayLength() > 0;
        var name = parameter.TryGetProperty("name", out var n2) && n2.ValueKind == JsonValueKind.String ? n2.GetString() : null;
        Refuse(name, path, values, parameter.TryGetProperty("resource", out _), hasPart);
        if (hasPart)
        {
            var index = 0;
            foreach (var part in parts.EnumerateArray())
            {
                if (part.ValueKind == JsonValueKind.Object)
                {
                    CheckInvariant(part, $"{path}.part[{index}]");
                }

                index++;
            }
        }
    }

    private static void Refuse(string? name, string path, int values, bool resource, bool part)
    {
        var what = new List<string>();
        if (values > 0)
        {
            what.Add(values == 1 ? "a value[x]" : $"{values} value[x] elements");
        }

        if (resource)
        {
            what.Add("a resource");
        }

        if (part)
        {
            what.Add("parts");
        }

        if (what.Count == 1 && values <= 1)
        {
            return;
        }

        var named = string.IsNullOrEmpty(name) ? "A parameter without a name" : $"Parameter '{name}'";
        var carries = what.Count == 0 ? "carries no value[x], resource or part" : $"carries {string.Join(" and ", what)}";
        throw FhirHttpException.BadRequest($"{named} {carries}; a parameter holds exactly one of a value[x], a resource or parts (FHIR Parameters invariant inv-1).", path);
    }

    private static void RefuseUnknown(IEnumerable<string?> names, string operation, IReadOnlyCollection<string> known)
    {
        var unknown = names.Where(n => n is null || !known.Contains(n, StringComparer.Ordinal))
            .Select(n => n is null ? "(no name)" : $"'{n}'")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (unknown.Count == 0)
        {
            return;
        }

        throw FhirHttpException.BadRequest(
            $"{(unknown.Count == 1 ? "Parameter" : "Parameters")} {string.Join(", ", unknown)} {(unknown.Count == 1 ? "is not a parameter" : "are not parameters")} of {operation}, which takes {string.Join(", ", known.Select(k => $"'{k}'"))}.",
            "Parameters.parameter.name");
    }
}
