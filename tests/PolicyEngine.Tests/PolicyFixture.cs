using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Document;
using SpinePolicy.TestKit;

namespace SpinePolicy.PolicyEngine.Tests;

/// <summary>The published policy document, read once per test run.</summary>
public static class PolicyFixture
{
    private static readonly Lazy<Policy> Lazy = new(() => PolicyDocumentReader.ReadFile(RepositoryPaths.PolicyDocument));

    public static Policy Policy => Lazy.Value;

    public static string Json => File.ReadAllText(RepositoryPaths.PolicyDocument);
}
