using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Document;

namespace SpinePolicy.Micro;

/// <summary>The published policy document, found from the benchmark's output folder.</summary>
internal static class BenchPolicy
{
    private static readonly Lazy<string> RootLazy = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SpinePolicy.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find SpinePolicy.sln above the benchmark's folder.");
    });

    public static string RepositoryRoot => RootLazy.Value;

    public static string FhirResources => Path.Combine(RepositoryRoot, "fhir-resources");

    public static Policy Load() => PolicyDocumentReader.ReadFile(Path.Combine(FhirResources, "policy", "097", "policy-097-2026-01.json"));
}
