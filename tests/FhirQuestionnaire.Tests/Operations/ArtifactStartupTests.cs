using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.TestKit;

namespace SpinePolicy.FhirQuestionnaire.Tests.Operations;

/// <summary>A broken or inconsistent artefact stops the server at start-up with a message naming it.</summary>
public sealed class ArtifactStartupTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "spinepolicy-artifacts", Guid.NewGuid().ToString("N"));

    public ArtifactStartupTests()
    {
        Directory.CreateDirectory(_folder);
        foreach (var file in Directory.GetFiles(RepositoryPaths.FhirResources, "*.json"))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        }
    }

    [Fact]
    public void Startup_WithAnUnparseableQuestionnaire_FailsNamingTheFile()
    {
        File.WriteAllText(Path.Combine(_folder, "Questionnaire-esi-097.json"), "{\"resourceType\":\"Questionnaire\",\"id\":\"esi-097\",\"status\":\"bogus\"}");

        var error = StartupError();

        Assert.Contains("Questionnaire-esi-097.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Startup_WithoutTheBvnaQuestionnaire_FailsNamingTheServiceFamily()
    {
        File.Delete(Path.Combine(_folder, "Questionnaire-bvna-097.json"));

        var error = StartupError();

        Assert.Contains("'bvna'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Startup_WithALibraryMissingItsElm_FailsNamingTheContentType()
    {
        var path = Path.Combine(_folder, "Library-spinepolicy-prepopulation.json");
        var library = Fhir.FhirJson.Parse<Hl7.Fhir.Model.Library>(File.ReadAllText(path));
        library.Content.RemoveAll(c => c.ContentType == "application/elm+json");
        File.WriteAllText(path, Fhir.FhirJson.Serialize(library));

        var error = StartupError();

        Assert.Contains("application/elm+json", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private PublishedArtifactException StartupError()
    {
        using var app = new SpinePolicyApp(new Dictionary<string, string?> { ["Dtr:ArtifactsPath"] = _folder });
        var error = Record.Exception(() => app.CreateClient());
        Assert.NotNull(error);
        return Assert.IsType<PublishedArtifactException>(error.GetBaseException());
    }
}
