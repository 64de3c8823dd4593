using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using SpinePolicy.Facts.Tests.Support;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.Fhir.Http;
using SpinePolicy.TestKit;

using static SpinePolicy.Facts.Tests.Support.FixtureResources;

namespace SpinePolicy.Facts.Tests;

/// <summary>
/// A hook reads the member's Patient and Coverage straight from their JSON; PAS and DTR read the
/// same elements from Firely's parse. Over every Patient and Coverage in the repository's fixtures
/// (Inferno, bench, published examples) and variants of each, both readings agree wherever Firely
/// accepts the resource; and where the fast reader refuses, it refuses with a 400 naming the element.
/// </summary>
public sealed class MemberFieldsAgreeTests
{
    private static readonly MemberCoverageReader Coverages = new(new MemberCoverageOptions { PayorIdentifiers = ["SPINEPOLICY-PAYER", "Organization/insurer"] });

    public static TheoryData<string, string> Corpus() =>
        FixtureResources.Corpus(new HashSet<string>(StringComparer.Ordinal) { "Patient", "Coverage" }, Variants);

    [Fact]
    public void Corpus_HoldsPatientsAndCoverages()
    {
        var types = Corpus().Select(row => JsonNode.Parse((string)row[1])!["resourceType"]!.GetValue<string>()).ToList();

        Assert.True(types.Count(t => t == "Coverage") >= 20, $"{types.Count(t => t == "Coverage")} Coverages");
        Assert.True(types.Count(t => t == "Patient") >= 20, $"{types.Count(t => t == "Patient")} Patients");
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void FastReadAndFirelyParse_AgreeOnEveryAcceptedResource(string source, string json)
    {
        using var document = JsonDocument.Parse(json);
        var element = document.RootElement;
        Resource? parsed;
        try
        {
            parsed = FhirJson.Parse<Resource>(json);
        }
        catch (FhirHttpException)
        {
            parsed = null;
        }

        if (parsed is Coverage coverage)
        {
            var fast = CoverageFields.Read(element, "Coverage");
            Assert.Equal(CoverageFields.Of(coverage), fast);
            Assert.Equal(Coverages.ReadProductLine(coverage), Coverages.ReadProductLine(fast));
        }
        else if (parsed is Patient patient)
        {
            Assert.Equal(Describe(() => PatientFacts.AgeOf(patient)), Describe(() => PatientFacts.AgeOf(element)));
        }
        else
        {
            // Firely refused it: the fast reader may accept (it reads only what a hook uses), but
            // if it refuses, it is with a 400 and never an exception of the JSON API.
            var fastRead = Record.Exception(() =>
            {
                if (element.GetProperty("resourceType").GetString() == "Coverage")
                {
                    CoverageFields.Read(element, "Coverage");
                }
                else
                {
                    PatientFacts.AgeOf(element);
                }
            });
            Assert.True(fastRead is null or FhirHttpException { StatusCode: 400 }, $"{source}: {fastRead}");
        }
    }

    private static string Describe(Func<object> read)
    {
        try
        {
            return read()?.ToString() ?? "null";
        }
        catch (FhirHttpException ex)
        {
            return $"refused {ex.StatusCode}";
        }
    }

    /// <summary>The resource, and changes to each element the readers use: other values, absent, wrong JSON kinds.</summary>
    private static IEnumerable<JsonObject> Variants(JsonObject original)
    {
        yield return (JsonObject)original.DeepClone();
        if (original["resourceType"]!.GetValue<string>() == "Patient")
        {
            foreach (JsonNode? birthDate in new JsonNode?[] { "1961", "1961-07", "2000-02-29", "2001-02-29", "1961-13-01", "1961-07-01T10:00:00Z", "", 19610701, new JsonObject(), null })
            {
                yield return With(original, "birthDate", birthDate);
            }

            yield return Without(original, "birthDate");
            yield break;
        }

        foreach (JsonNode? status in new JsonNode?[] { "active", "cancelled", "draft", "entered-in-error", "bogus", "ACTIVE", 1, null })
        {
            yield return With(original, "status", status);
        }

        yield return Without(original, "status");
        yield return With(original, "id", "a-valid.id-1");
        yield return With(original, "id", "not valid!");
        yield return Without(original, "payor");
        yield return With(original, "payor", new JsonArray(new JsonObject { ["identifier"] = new JsonObject { ["value"] = "SPINEPOLICY-PAYER" } }));
        yield return With(original, "payor", new JsonArray(new JsonObject { ["reference"] = "Organization/someone-else" }));
        yield return With(original, "payor", new JsonObject { ["reference"] = "Organization/insurer" });
        yield return With(original, "payor", new JsonArray(new JsonObject { ["identifier"] = "SPINEPOLICY-PAYER" }));
        yield return Without(original, "class");
        foreach (var plan in new[] { "MGB-COMMERCIAL", "mgb-medicare-advantage", "MGB-SCO", "UNKNOWN-PLAN" })
        {
            yield return With(original, "class", new JsonArray(
                new JsonObject { ["type"] = Coding("group"), ["value"] = "G-1" },
                new JsonObject { ["type"] = Coding("plan"), ["value"] = plan }));
        }

        yield return With(original, "class", new JsonArray(new JsonObject { ["type"] = new JsonObject { ["coding"] = new JsonObject() }, ["value"] = "MGB-QHP" }));
        yield return With(original, "class", new JsonArray(new JsonObject { ["type"] = Coding("plan"), ["value"] = 7 }));
        yield return With(original, "class", new JsonObject { ["type"] = Coding("plan"), ["value"] = "MGB-QHP" });

        static JsonObject Coding(string code) => new()
        {
            ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/coverage-class", ["code"] = code }),
        };
    }
}
