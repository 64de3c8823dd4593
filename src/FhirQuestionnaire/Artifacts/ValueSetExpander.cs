using Hl7.Fhir.Model;

namespace SpinePolicy.FhirQuestionnaire.Artifacts;

/// <summary>
/// Expands the value sets we publish. They only include whole code systems we publish or explicit
/// concept lists, so the expansion needs no terminology server.
/// </summary>
internal sealed class ValueSetExpander(PublishedArtifacts artifacts, TimeProvider time)
{
    /// <summary>A copy of the value set with its expansion, or null when a part cannot be expanded here.</summary>
    public ValueSet? Expand(ValueSet valueSet)
    {
        var contains = new List<ValueSet.ContainsComponent>();
        foreach (var include in valueSet.Compose?.Include ?? [])
        {
            if (include.ValueSetElement.Count > 0 || include.Filter.Count > 0 || include.System is not { } system)
            {
                return null;
            }

            var codeSystem = artifacts.FindExact<CodeSystem>(include.Version is { } v ? $"{system}|{v}" : system);
            if (include.Concept.Count > 0)
            {
                contains.AddRange(include.Concept.Where(c => c.Code is not null).Select(c => Entry(system, codeSystem?.Version ?? include.Version, c.Code!, c.Display ?? DisplayOf(codeSystem, c.Code!))));
            }
            else if (codeSystem is not null)
            {
                contains.AddRange(codeSystem.Concept.Where(c => c.Code is not null).Select(c => Entry(system, codeSystem.Version, c.Code!, c.Display)));
            }
            else
            {
                return null;
            }
        }

        var expanded = (ValueSet)valueSet.DeepCopy();
        expanded.Expansion = new ValueSet.ExpansionComponent
        {
            Identifier = $"urn:uuid:{Guid.NewGuid()}",
            TimestampElement = new FhirDateTime(time.GetUtcNow()),
            Total = contains.Count,
            Contains = contains,
        };
        return expanded;
    }

    private static ValueSet.ContainsComponent Entry(string system, string? version, string code, string? display) => new()
    {
        System = system,
        Version = version,
        Code = code,
        Display = display,
    };

    private static string? DisplayOf(CodeSystem? codeSystem, string code) =>
        codeSystem?.Concept.FirstOrDefault(c => c.Code == code)?.Display;
}
