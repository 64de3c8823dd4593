namespace SpinePolicy.Fhir.Http;

/// <summary>An operation one slice adds to a resource type another slice serves (e.g. PAS's $submit on Claim).</summary>
public sealed record ServedTypeOperation(string ResourceType, ServedOperation Operation);

/// <summary>
/// An operation also served at the system level (<c>POST /fhir/$name</c>), listed in
/// <c>rest.operation</c>: where an implementation guide's CapabilityStatement lists it there (DTR's
/// payer service lists $questionnaire-package, $expand and $next-question at system level while
/// their OperationDefinitions are on a type).
/// </summary>
public sealed record ServedSystemOperation(ServedOperation Operation);

/// <summary>A server CapabilityStatement of an implementation guide that this server implements.</summary>
public sealed record InstantiatedCapability(string Canonical);

/// <summary>
/// What /fhir serves, gathered from every slice's contributions: each type once, with the
/// operations other slices add to it, in type-name order. Built once at start-up; a type
/// contributed twice, or an operation added to a type nobody serves, stops it.
/// </summary>
public sealed class FhirCapabilities
{
    private readonly Dictionary<string, ServedResourceType> _byType;

    public FhirCapabilities(IEnumerable<ServedResourceType> types, IEnumerable<ServedTypeOperation> operations, IEnumerable<InstantiatedCapability> instantiates,
        IEnumerable<ServedSystemOperation> systemOperations)
    {
        var merged = new List<ServedResourceType>();
        foreach (var type in types)
        {
            if (merged.Any(t => t.Type == type.Type))
            {
                throw new InvalidOperationException($"{type.Type} is contributed to the CapabilityStatement twice; one slice serves a type, others add operations.");
            }

            merged.Add(type);
        }

        foreach (var added in operations)
        {
            var index = merged.FindIndex(t => t.Type == added.ResourceType);
            if (index < 0)
            {
                throw new InvalidOperationException($"${added.Operation.Name} is added to {added.ResourceType}, which no slice serves.");
            }

            merged[index] = merged[index] with { Operations = [.. merged[index].Operations, added.Operation] };
        }

        Types = [.. merged.OrderBy(t => t.Type, StringComparer.Ordinal)];
        _byType = merged.ToDictionary(t => t.Type, StringComparer.Ordinal);
        Instantiates = [.. instantiates.Select(i => i.Canonical).Distinct(StringComparer.Ordinal)];
        SystemOperations = [.. systemOperations.Select(s => s.Operation).OrderBy(o => o.Name, StringComparer.Ordinal)];
    }

    /// <summary>The operations served at the system level, in name order.</summary>
    public IReadOnlyList<ServedOperation> SystemOperations { get; }

    public IReadOnlyList<ServedResourceType> Types { get; }

    public IReadOnlyList<string> Instantiates { get; }

    /// <summary>The served type of this name, or null when /fhir does not serve it.</summary>
    public ServedResourceType? Find(string type) => _byType.GetValueOrDefault(type);
}
