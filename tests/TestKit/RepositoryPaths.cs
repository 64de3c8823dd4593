namespace SpinePolicy.TestKit;

/// <summary>Finds files in the repository from a test's output folder.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootLazy = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SpinePolicy.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find SpinePolicy.sln above the test output folder.");
    });

    public static string Root => RootLazy.Value;

    public static string FhirResources => Path.Combine(Root, "fhir-resources");

    /// <summary>Every version of the policy, one document each (P13).</summary>
    public static string PolicyFolder => Path.Combine(FhirResources, "policy", "097");

    /// <summary>The current version (January 2026).</summary>
    public static string PolicyDocument => Path.Combine(PolicyFolder, "policy-097-2026-01.json");

    public static string InfernoFixtures => Path.Combine(Root, "tests", "fixtures", "inferno");

    public static string FhirPackages => Path.Combine(Root, "tests", "fhir-packages");

    public static string ReadInferno(string relativePath) => File.ReadAllText(Path.Combine(InfernoFixtures, relativePath));
}
