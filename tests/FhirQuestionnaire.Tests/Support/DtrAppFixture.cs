using SpinePolicy.TestKit;

namespace SpinePolicy.FhirQuestionnaire.Tests.Support;

/// <summary>
/// One running server for the tests that only read published artefacts or post self-contained
/// requests (nothing they assert depends on stored data). Tests that store data start their own.
/// </summary>
public sealed class DtrAppFixture : IDisposable
{
    public DtrAppFixture()
    {
        App = new SpinePolicyApp();
        Client = App.CreateFhirClient();
    }

    public SpinePolicyApp App { get; }

    public HttpClient Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        App.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class DtrAppCollection : ICollectionFixture<DtrAppFixture>
{
    public const string Name = "DTR app";
}
