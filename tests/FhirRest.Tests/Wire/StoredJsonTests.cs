using System.Text.Json;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Http;
using SpinePolicy.TestKit;

namespace SpinePolicy.FhirRest.Tests.Wire;

/// <summary>
/// What the server stored is read back without Firely's element validators
/// (<see cref="FhirJson.ParseStored{T}"/>): it must read back exactly what the strict parse read
/// when it came in, and a rule that input must keep cannot make a stored resource unreadable.
/// </summary>
public sealed class StoredJsonTests
{
    public static TheoryData<string> InfernoResources()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.InfernoFixtures, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("resourceType", out _))
            {
                data.Add(Path.GetRelativePath(RepositoryPaths.InfernoFixtures, file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InfernoResources))]
    public void StoredResource_ReadsBackAsTheStrictParseReadIt(string fixture)
    {
        Resource strict;
        try
        {
            strict = FhirJson.Parse<Resource>(RepositoryPaths.ReadInferno(fixture));
        }
        catch (FhirHttpException)
        {
            return; // refused on the way in: never stored
        }

        var stored = FhirJson.Serialize(strict);

        Assert.Equal(stored, FhirJson.Serialize(FhirJson.ParseStored<Resource>(stored)));
    }

    [Fact]
    public void StoredResource_BreakingARuleInputMustKeep_IsStillRead()
    {
        // Claim.patient is 1..1: input without it is refused; a record stored under another rule stays readable.
        const string json = """{"resourceType":"Claim","id":"c1","status":"active","use":"preauthorization","created":"2026-01-05"}""";

        Assert.Throws<FhirHttpException>(() => FhirJson.Parse<Claim>(json));
        var claim = FhirJson.ParseStored<Claim>(json);
        Assert.Equal("c1", claim.Id);
        Assert.Equal(ClaimUseCode.Preauthorization, claim.Use);
    }

    [Fact]
    public void StoredJson_OfAnotherType_IsAnErrorOfOurs()
    {
        Assert.Throws<InvalidOperationException>(() => FhirJson.ParseStored<Claim>("""{"resourceType":"Basic","id":"b1","code":{"text":"x"}}"""));
    }
}
