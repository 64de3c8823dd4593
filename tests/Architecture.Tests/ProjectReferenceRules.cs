namespace SpinePolicy.Architecture.Tests;

/// <summary>
/// The allowed project references (the table in docs/architecture.md, "Projects and what they may reference").
/// Keys and values are folder names under src/. A project not listed here fails the tests until
/// someone decides where it sits.
/// </summary>
internal static class ProjectReferenceRules
{
    private static readonly string[] Slices = ["PolicyEngine", "Fhir", "Storage"];

    public static IReadOnlyDictionary<string, string[]> Allowed { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        // The engine sees facts, never FHIR, HTTP or storage.
        ["PolicyEngine"] = [],
        ["Fhir"] = ["PolicyEngine"],
        ["Storage"] = ["Fhir"],
        ["Storage.Sqlite"] = ["Storage"],
        ["Storage.Postgres"] = ["Storage"],
        ["CdsHooks"] = Slices,
        ["FhirQuestionnaire"] = Slices,
        ["PriorAuthorization"] = [.. Slices, "FhirQuestionnaire"],
        ["FhirRest"] = ["Fhir", "Storage"],

        // The browser DTR app talks to the FHIR API over HTTP like any other DTR app: no slice of ours.
        ["DtrApp"] = [],
        ["ReviewQueue"] = [.. Slices, "FhirQuestionnaire", "PriorAuthorization"],
        ["Server"] =
        [
            "PolicyEngine", "Fhir", "Storage", "Storage.Sqlite", "Storage.Postgres",
            "CdsHooks", "FhirQuestionnaire", "PriorAuthorization", "FhirRest", "DtrApp", "ReviewQueue",
        ],
    };

    /// <summary>
    /// Database drivers: only the provider projects may use them. The store core in src/Storage
    /// speaks ADO.NET and its SQL dialect, so a store is written once for every provider.
    /// </summary>
    public static IReadOnlyList<string> DatabaseDrivers { get; } = ["Microsoft.Data.Sqlite", "SQLitePCLRaw", "Npgsql"];

    /// <summary>Assembly-name prefixes the policy engine must never depend on.</summary>
    public static IReadOnlyList<string> ForbiddenForEngine { get; } =
    [
        "Microsoft.AspNetCore", // HTTP
        "Hl7.Fhir", "Firely", // FHIR
        "Microsoft.Data.Sqlite", "SQLitePCLRaw", "Npgsql", // storage drivers
        "SpinePolicy.", // any other project of ours
    ];
}
