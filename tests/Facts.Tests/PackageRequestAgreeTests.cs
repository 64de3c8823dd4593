using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using SpinePolicy.Facts.Tests.Support;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Http;
using SpinePolicy.FhirQuestionnaire.Operations;
using SpinePolicy.TestKit;

namespace SpinePolicy.Facts.Tests;

/// <summary>
/// $questionnaire-package reads a JSON request straight from its JSON and an XML one from
/// Firely's parse. Over the package requests in the repository's fixtures (Inferno, bench) and
/// variants of every element the JSON reader uses, both readings give the same request and the
/// same facts wherever Firely accepts the Parameters; where it refuses, the JSON reading is a 400
/// at worst.
/// </summary>
public sealed class PackageRequestAgreeTests(PackageRequestAgreeTests.Server server) : IClassFixture<PackageRequestAgreeTests.Server>
{
    public static TheoryData<string, string> Corpus()
    {
        var data = new TheoryData<string, string>();
        var files = new[]
        {
            Path.Combine(RepositoryPaths.InfernoFixtures, "dtr", "questionnaire_package_input_params_conformant.json"),
            Path.Combine(RepositoryPaths.Root, "bench", "scenarios", "questionnaire-package.json"),
        };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files.Where(File.Exists))
        {
            var original = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            foreach (var variant in Variants(original))
            {
                var json = variant.ToJsonString();
                if (seen.Add(json))
                {
                    data.Add(Path.GetFileName(file), json);
                }
            }
        }

        return data;
    }

    [Fact]
    public void Corpus_HoldsBothFixturesAndTheirVariants() => Assert.True(Corpus().Count >= 60, $"{Corpus().Count} requests");

    [Theory]
    [MemberData(nameof(Corpus))]
    public void JsonReadingAndFirelyParse_AgreeOnEveryAcceptedRequest(string source, string json)
    {
        using var document = JsonDocument.Parse(json);
        var fast = Describe(() => PackageRequestReader.Read(document.RootElement));
        Resource? parsed;
        try
        {
            parsed = FhirJson.Parse<Resource>(json);
        }
        catch (FhirHttpException)
        {
            parsed = null;
        }

        if (parsed is not null)
        {
            Assert.Equal(Describe(() => PackageRequestReader.Read(parsed)), fast);
        }
        else
        {
            Assert.True(!fast.StartsWith("threw", StringComparison.Ordinal), $"{source}: {fast}");
        }
    }

    private string Describe(Func<PackageRequest> read)
    {
        PackageRequest request;
        try
        {
            request = read();
        }
        catch (FhirHttpException ex)
        {
            return $"refused {ex.StatusCode}";
        }
        catch (Exception ex)
        {
            return $"threw {ex.GetType().Name}: {ex.Message}";
        }

        string facts;
        try
        {
            var read2 = server.Slices.Service<PackageFactsReader>().Read(request);
            facts = $"{read2.ProductLine}; {read2.Age}; {string.Join(", ", read2.Orders)}";
        }
        catch (FhirHttpException ex)
        {
            facts = $"facts refused {ex.StatusCode}: {ex.Message}";
        }

        return string.Join(" | ",
            facts,
            $"coverage {request.Coverage.Id} beneficiary {request.Coverage.Beneficiary?.Reference} identifier {request.Coverage.Identifier.FirstOrDefault()?.Value} contained {string.Join(",", request.Coverage.Contained.Select(c => c.TypeName + "/" + c.Id))}",
            $"orders {string.Join(",", request.Orders.Select(o => $"{o.TypeName}/{o.Id} subject {(o as ServiceRequest)?.Subject?.Reference}"))}",
            $"referenced {string.Join(",", request.Referenced.Select(r => r.TypeName + "/" + r.Id))}",
            $"questionnaires {string.Join(",", request.Questionnaires)}",
            $"context {request.Context} changed since {request.ChangedSince:O}");
    }

    /// <summary>The request, and changes to each element the JSON reader uses.</summary>
    private static IEnumerable<JsonObject> Variants(JsonObject original)
    {
        yield return Copy(original);
        foreach (JsonNode? status in new JsonNode?[] { "active", "cancelled", "bogus", 1, null })
        {
            yield return WithCoverage(original, c => c["status"] = status);
        }

        foreach (var plan in new[] { "MGB-COMMERCIAL", "MGB-SCO", "UNKNOWN-PLAN" })
        {
            yield return WithCoverage(original, c => c["class"] = new JsonArray(new JsonObject
            {
                ["type"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/coverage-class", ["code"] = "plan" }) },
                ["value"] = plan,
            }));
        }

        yield return WithCoverage(original, c => c["class"] = new JsonObject { ["value"] = "MGB-COMMERCIAL" });
        yield return WithCoverage(original, c => c["class"] = new JsonArray(new JsonObject { ["value"] = 7 }));
        yield return WithCoverage(original, c => c["payor"] = new JsonArray(new JsonObject { ["reference"] = "Organization/someone-else" }));
        yield return WithCoverage(original, c => c["payor"] = new JsonArray(new JsonObject { ["identifier"] = "SPINEPOLICY-PAYER" }));
        yield return WithCoverage(original, c => c["beneficiary"] = new JsonObject { ["reference"] = "Patient/other" });
        yield return WithCoverage(original, c => c["beneficiary"] = "Patient/other");
        yield return WithCoverage(original, c => c.Remove("beneficiary"));
        yield return WithCoverage(original, c => c["id"] = "not valid!");
        yield return WithCoverage(original, c => c.Remove("id"));
        yield return WithCoverage(original, c => c["identifier"] = new JsonArray(new JsonObject { ["value"] = "M-1" }));
        yield return WithCoverage(original, c => c["contained"] = new JsonArray(new JsonObject { ["resourceType"] = "Patient", ["id"] = "p1", ["birthDate"] = "1960-01-01" }));
        yield return WithCoverage(original, c => c["contained"] = new JsonArray(new JsonObject { ["resourceType"] = "Patient", ["id"] = "p1", ["birthDate"] = "long ago" }));
        yield return WithCoverage(original, c => c["period"] = new JsonObject { ["start"] = "whenever" });

        foreach (var code in new[] { "64628", "64493", "99213" })
        {
            yield return WithOrder(original, o => o["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = Order.Cpt, ["code"] = code }) });
        }

        yield return WithOrder(original, o => o["quantityQuantity"] = new JsonObject { ["value"] = 2.5 });
        yield return WithOrder(original, o => o["quantityQuantity"] = new JsonObject { ["value"] = "2" });
        yield return WithOrder(original, o => o["occurrenceDateTime"] = "2027-01-10T23:30:00-05:00");
        yield return WithOrder(original, o => o["occurrenceDateTime"] = "soon");
        yield return WithOrder(original, o => o["subject"] = new JsonObject { ["reference"] = "Patient/someone" });
        yield return WithOrder(original, o => o["subject"] = 5);
        yield return WithOrder(original, o => o["authoredOn"] = "yesterday");
        yield return WithOrder(original, o => o["resourceType"] = "DeviceRequest");

        yield return WithParameter(original, new JsonObject { ["name"] = "questionnaire", ["valueCanonical"] = "http://example.org/Questionnaire/q|1" });
        yield return WithParameter(original, new JsonObject { ["name"] = "questionnaire", ["valueCanonical"] = "has space" });
        yield return WithParameter(original, new JsonObject { ["name"] = "questionnaire", ["valueString"] = "http://example.org/Questionnaire/q" });
        yield return WithParameter(original, new JsonObject { ["name"] = "context", ["valueString"] = "assertion-1" });
        yield return WithParameter(original, new JsonObject { ["name"] = "context", ["valueInteger"] = 1 });
        yield return WithParameter(original, new JsonObject { ["name"] = "changedsince", ["valueInstant"] = "2026-01-01T00:00:00Z" });
        yield return WithParameter(original, new JsonObject { ["name"] = "changedsince", ["valueDateTime"] = "2026-01-01T00:00:00+02:00" });
        yield return WithParameter(original, new JsonObject { ["name"] = "changedsince", ["valueInstant"] = "2026-01-01" });
        yield return WithParameter(original, new JsonObject { ["name"] = "unknown", ["valueString"] = "x" });
        yield return WithParameter(original, new JsonObject { ["name"] = "referenced", ["resource"] = new JsonObject { ["resourceType"] = "Patient", ["id"] = "r1", ["birthDate"] = "1950-05-05" } });
        yield return WithParameter(original, new JsonObject { ["name"] = "referenced", ["resource"] = new JsonObject { ["resourceType"] = "Patient", ["birthDate"] = 1950 } });
        yield return WithParameter(original, new JsonObject { ["name"] = "order", ["valueString"] = "ServiceRequest/1" });
        yield return WithParameter(original, new JsonObject { ["name"] = "coverage", ["resource"] = new JsonObject { ["resourceType"] = "Patient" } });

        var withoutOrders = Copy(original);
        var parameters = withoutOrders["parameter"]!.AsArray();
        foreach (var order in parameters.Where(p => p?["name"]?.GetValue<string>() == "order").ToList())
        {
            parameters.Remove(order);
        }

        yield return withoutOrders;
    }

    private static JsonObject WithCoverage(JsonObject original, Action<JsonObject> change) => WithResource(original, "coverage", change);

    private static JsonObject WithOrder(JsonObject original, Action<JsonObject> change) => WithResource(original, "order", change);

    private static JsonObject WithResource(JsonObject original, string name, Action<JsonObject> change)
    {
        var copy = Copy(original);
        if (copy["parameter"]!.AsArray().FirstOrDefault(p => p?["name"]?.GetValue<string>() == name)?["resource"] is JsonObject resource)
        {
            change(resource);
        }

        return copy;
    }

    private static JsonObject WithParameter(JsonObject original, JsonObject parameter)
    {
        var copy = Copy(original);
        copy["parameter"]!.AsArray().Add(parameter);
        return copy;
    }

    private static JsonObject Copy(JsonObject original) => (JsonObject)original.DeepClone();

    public sealed class Server : IDisposable
    {
        public ThreeSlices Slices { get; } = new();

        public void Dispose() => Slices.Dispose();
    }
}
