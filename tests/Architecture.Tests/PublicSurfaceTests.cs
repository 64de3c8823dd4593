using System.Reflection;
using SpinePolicy.TestKit;

namespace SpinePolicy.Architecture.Tests;

/// <summary>
/// Slice types are internal by default (issue #11): a type is public only because another project
/// needs it. Each slice's public surface is checked in as a list, so widening it is a deliberate,
/// reviewed change rather than the accident of a keyword.
/// </summary>
public sealed class PublicSurfaceTests
{
    private static string ListFolder => Path.Combine(RepositoryPaths.Root, "tests", "Architecture.Tests", "PublicSurface");

    public static TheoryData<string> Slices() => new()
    {
        "CdsHooks",
        "FhirQuestionnaire",
        "PriorAuthorization",
        "FhirRest",
        "ReviewQueue",
        "DtrApp",
        "Storage.Sqlite",
        "Storage.Postgres",
        "Storage",
        "Server",
    };

    [Theory]
    [MemberData(nameof(Slices))]
    public void PublicTypes_OfSliceAssembly_MatchCheckedInList(string project)
    {
        var assemblyName = $"SpinePolicy.{project}";
        var listFile = Path.Combine(ListFolder, $"{assemblyName}.txt");
        var listed = File.ReadAllLines(listFile)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0)
            .ToHashSet(StringComparer.Ordinal);

        var exported = Assembly.Load(assemblyName).GetExportedTypes()
            .Select(type => type.FullName!)
            .ToHashSet(StringComparer.Ordinal);

        var added = exported.Except(listed).Order(StringComparer.Ordinal).ToList();
        var removed = listed.Except(exported).Order(StringComparer.Ordinal).ToList();

        Assert.True(added.Count == 0,
            $"{assemblyName} has public types not in tests/Architecture.Tests/PublicSurface/{assemblyName}.txt: "
            + $"{string.Join(", ", added)}. Make them internal (tests reach internals through InternalsVisibleTo), "
            + "or, if another project needs them, add their full names to that list (one per line, sorted).");
        Assert.True(removed.Count == 0,
            $"tests/Architecture.Tests/PublicSurface/{assemblyName}.txt lists types that are no longer public in {assemblyName}: "
            + $"{string.Join(", ", removed)}. Remove those lines from the list.");
    }
}
