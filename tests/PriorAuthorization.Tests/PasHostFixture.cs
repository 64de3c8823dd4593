using SpinePolicy.PriorAuthorization.Tests.Support;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>One server for the tests that only submit and inquire; each test uses its own identifiers.</summary>
public sealed class PasHostFixture : IDisposable
{
    public PasHost Host { get; } = new();

    public void Dispose() => Host.Dispose();
}

[CollectionDefinition(Name)]
public sealed class PasCollection : ICollectionFixture<PasHostFixture>
{
    public const string Name = "PAS server";
}
