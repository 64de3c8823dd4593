using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using SpinePolicy.Facts.Tests.Support;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.CoverageInformation;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.Fhir.Http;
using SpinePolicy.TestKit;

using static SpinePolicy.Facts.Tests.Support.FixtureResources;

namespace SpinePolicy.Facts.Tests;

/// <summary>
/// A hook reads its orders straight from their JSON (<see cref="OrderJsonReader"/>); DTR and PAS
/// read the same elements from Firely's parse. Over every ServiceRequest and Appointment in the
/// repository's fixtures (Inferno, bench, published examples) and variants of each element the
/// reader uses, both readings give the same facts wherever Firely accepts the order, and the fast
/// reader finds a defect only where Firely refuses the order too.
/// </summary>
public sealed class OrderFieldsAgreeTests(OrderFieldsAgreeTests.Server server) : IClassFixture<OrderFieldsAgreeTests.Server>
{
    private const string Cpt = "http://www.ama-assn.org/go/cpt";

    private OrderFactsReader Facts => server.Slices.Service<OrderFactsReader>();

    public static TheoryData<string, string> Corpus() =>
        FixtureResources.Corpus(new HashSet<string>(StringComparer.Ordinal) { "ServiceRequest", "Appointment" }, Variants);

    [Fact]
    public void Corpus_HoldsServiceRequestsAndAppointments()
    {
        var types = Corpus().Select(row => JsonNode.Parse((string)row[1])!["resourceType"]!.GetValue<string>()).ToList();

        Assert.True(types.Count(t => t == "ServiceRequest") >= 100, $"{types.Count(t => t == "ServiceRequest")} ServiceRequests");
        Assert.True(types.Count(t => t == "Appointment") >= 20, $"{types.Count(t => t == "Appointment")} Appointments");
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void FastReadAndFirelyParse_AgreeOnEveryAcceptedOrder(string source, string json)
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

        if (element.GetProperty("resourceType").GetString() == "ServiceRequest")
        {
            var fast = OrderJsonReader.ServiceRequest(element);
            if (parsed is ServiceRequest request)
            {
                Assert.True(fast.Defect is null, $"{source}: Firely accepts the order, the fast reader found: {fast.Defect}");
                Assert.Equal(request.Id, fast.Resource.Id);
                Assert.Equal(Describe(() => Facts.Read(request, "order")), Describe(() => Facts.Read(fast.Resource, "order")));
                AssertSameAnnotations(request, fast.Resource);
            }
            else
            {
                // Firely refused it: the fast reader reads only some elements, so it may accept.
                // Whatever it read, the facts are a 400 at worst, never an exception of the JSON API.
                var read = Record.Exception(() => Facts.Read(fast.Resource, "order"));
                Assert.True(read is null or FhirHttpException { StatusCode: 400 }, $"{source}: {read}");
            }
        }
        else
        {
            var fast = OrderJsonReader.Appointment(element);
            if (parsed is Appointment appointment)
            {
                Assert.True(fast.Defect is null, $"{source}: Firely accepts the appointment, the fast reader found: {fast.Defect}");
                Assert.Equal(appointment.Id, fast.Resource.Id);
                Assert.Equal(appointment.BasedOn.Select(r => r.Reference), fast.Resource.BasedOn.Select(r => r.Reference));
                Assert.Equal(
                    Describe(() => Facts.Read(appointment, BookedOrder(appointment), "order")),
                    Describe(() => Facts.Read(fast.Resource, BookedOrder(fast.Resource), "order")));
                var firelyContained = appointment.Contained.OfType<ServiceRequest>().ToList();
                var fastContained = fast.Resource.Contained.OfType<ServiceRequest>().ToList();
                Assert.Equal(firelyContained.Count, fastContained.Count);
                foreach (var (firely, read) in firelyContained.Zip(fastContained))
                {
                    Assert.Equal(Describe(() => Facts.Read(firely, "order")), Describe(() => Facts.Read(read, "order")));
                }

                AssertSameAnnotations(appointment, fast.Resource);
            }
            else
            {
                var read = Record.Exception(() => Facts.Read(fast.Resource, BookedOrder(fast.Resource), "order"));
                Assert.True(read is null or FhirHttpException { StatusCode: 400 }, $"{source}: {read}");
            }
        }
    }

    /// <summary>The contained ServiceRequest an appointment is based on, else a governed one standing for an order elsewhere.</summary>
    private static ServiceRequest BookedOrder(Appointment appointment) =>
        appointment.Contained.OfType<ServiceRequest>().FirstOrDefault()
        ?? new ServiceRequest { Id = "booked", Code = new CodeableConcept(Cpt, "64493") };

    private static void AssertSameAnnotations(DomainResource firely, DomainResource fast)
    {
        var expected = firely.Extension.Where(e => e.Url == CoverageInformationExtension.Url).ToList();
        var read = fast.Extension.Where(e => e.Url == CoverageInformationExtension.Url).ToList();
        Assert.Equal(expected.Count, read.Count);
        Assert.All(expected.Zip(read), pair => Assert.True(pair.First.IsExactly(pair.Second), "the coverage-information read differs from Firely's"));
    }

    private static string Describe(Func<object?> read)
    {
        try
        {
            return read()?.ToString() ?? "null";
        }
        catch (FhirHttpException ex)
        {
            return $"refused {ex.StatusCode}: {ex.Message}";
        }
    }

    /// <summary>The order, and changes to each element the fast reader uses: other values, absent, wrong JSON kinds, wrong choice types.</summary>
    private static IEnumerable<JsonObject> Variants(JsonObject original)
    {
        yield return (JsonObject)original.DeepClone();
        yield return With(original, "id", "a-valid.id-1");
        yield return With(original, "id", "not valid!");
        yield return With(original, "id", 7);
        yield return Without(original, "id");
        yield return With(original, "extension", new JsonArray());
        yield return With(original, "extension", new JsonArray(CoverageInformation("covered", "Coverage/cov-1")));
        yield return With(original, "extension", new JsonArray(CoverageInformation("not-a-code", "Coverage/cov-1")));
        yield return With(original, "extension", new JsonArray(new JsonObject { ["url"] = CoverageInformationExtension.Url, ["valueString"] = "x" }));
        yield return With(original, "extension", new JsonObject { ["url"] = "http://example.org/other", ["valueString"] = "x" });

        if (original["resourceType"]!.GetValue<string>() == "Appointment")
        {
            foreach (JsonNode? start in new JsonNode?[] { "2027-01-10T09:00:00Z", "2027-01-10T23:30:00-05:00", "2027-01-10", "2027-02-30T09:00:00Z", "yesterday", 20270110, null })
            {
                yield return With(original, "start", start);
            }

            yield return Without(original, "start");
            yield return With(original, "requestedPeriod", new JsonArray(new JsonObject { ["start"] = "2027-03-01", ["end"] = "2027-03-05" }));
            yield return With(original, "requestedPeriod", new JsonArray(new JsonObject { ["start"] = "2027-03-05", ["end"] = "2027-03-01" }));
            yield return With(original, "requestedPeriod", new JsonObject { ["start"] = "2027-03-01" });
            yield return With(original, "requestedPeriod", new JsonArray(new JsonObject { ["start"] = "soon" }));
            yield return With(original, "basedOn", new JsonArray(new JsonObject { ["reference"] = "#sr-1" }));
            yield return With(original, "basedOn", new JsonArray(new JsonObject { ["reference"] = 5 }));
            yield return With(original, "basedOn", new JsonObject { ["reference"] = "ServiceRequest/1" });
            foreach (var order in ServiceRequestVariants(BookedJson()))
            {
                order["id"] = "sr-1";
                yield return With(original, "contained", new JsonArray(order));
            }

            yield break;
        }

        foreach (var variant in ServiceRequestVariants(original))
        {
            yield return variant;
        }
    }

    private static IEnumerable<JsonObject> ServiceRequestVariants(JsonObject original)
    {
        foreach (var code in new[] { "64628", "64629", "64493", "62323", "99213", "27447" })
        {
            yield return With(original, "code", Concept((Cpt, code)));
        }

        yield return With(original, "code", Concept((Cpt, "99213"), (Cpt, "64628")));
        yield return With(original, "code", Concept((Cpt, "64628"), (Cpt, "64493")));
        yield return With(original, "code", Concept(("http://snomed.info/sct", "397956004")));
        yield return With(original, "code", new JsonObject { ["text"] = "a nerve ablation" });
        yield return With(original, "code", new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = 1, ["code"] = "64628" }) });
        yield return With(original, "code", new JsonObject { ["coding"] = new JsonObject { ["system"] = Cpt, ["code"] = "64628" } });
        yield return With(original, "code", new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = Cpt, ["code"] = "64628", ["bogus"] = true }) });
        yield return With(original, "code", "64628");
        yield return With(original, "code", new JsonObject());
        yield return Without(original, "code");

        var withoutQuantity = Without(original, "quantityQuantity", "quantityRatio", "quantityRange");
        yield return withoutQuantity;
        foreach (JsonNode? value in new JsonNode?[] { 1, 2, 3, 2.0, 0, -1, 2.5, 1000, 1001, JsonNode.Parse("1e20"), JsonNode.Parse("1e40"), "2", null })
        {
            yield return With(withoutQuantity, "quantityQuantity", new JsonObject { ["value"] = value });
        }

        yield return With(withoutQuantity, "quantityQuantity", new JsonObject());
        yield return With(withoutQuantity, "quantityRatio", new JsonObject { ["numerator"] = new JsonObject { ["value"] = 2 }, ["denominator"] = new JsonObject { ["value"] = 1 } });
        yield return With(withoutQuantity, "quantityRange", new JsonObject { ["low"] = new JsonObject { ["value"] = 1 } });
        yield return With(withoutQuantity, "quantityString", "2");
        yield return With(With(withoutQuantity, "quantityQuantity", new JsonObject { ["value"] = 2 }), "quantityRange", new JsonObject { ["low"] = new JsonObject { ["value"] = 1 } });

        var withoutOccurrence = Without(original, "occurrenceDateTime", "occurrencePeriod", "occurrenceTiming");
        yield return withoutOccurrence;
        foreach (JsonNode? value in new JsonNode?[] { "2027-01-10", "2027", "2027-01", "2027-01-10T23:30:00-05:00", "2027-01-10T09:00:00Z", "2027-02-30", "2027-01-10T09:00", "yesterday", 2027, null })
        {
            yield return With(withoutOccurrence, "occurrenceDateTime", value);
        }

        yield return With(withoutOccurrence, "occurrencePeriod", new JsonObject { ["start"] = "2027-01-10", ["end"] = "2027-02-10" });
        yield return With(withoutOccurrence, "occurrencePeriod", new JsonObject { ["start"] = "2027-02-10", ["end"] = "2027-01-10" });
        yield return With(withoutOccurrence, "occurrencePeriod", new JsonObject { ["end"] = "2027-01" });
        yield return With(withoutOccurrence, "occurrencePeriod", new JsonObject { ["start"] = "soon" });
        yield return With(withoutOccurrence, "occurrenceTiming", new JsonObject { ["event"] = new JsonArray("2027-01-10", "2027-03-01") });
        yield return With(withoutOccurrence, "occurrenceTiming", new JsonObject { ["repeat"] = new JsonObject { ["boundsPeriod"] = new JsonObject { ["start"] = "2027-01-10" } } });
        yield return With(withoutOccurrence, "occurrenceTiming", new JsonObject { ["event"] = new JsonArray("never") });
        yield return With(withoutOccurrence, "occurrenceString", "next week");
        yield return With(With(withoutOccurrence, "occurrenceDateTime", "2027-01-10"), "occurrencePeriod", new JsonObject { ["start"] = "2027-01-10" });

        // An element the reader does not use: Firely refuses the order, the facts do not depend on it.
        yield return With(original, "authoredOn", "yesterday");
    }

    private static JsonObject BookedJson() => new()
    {
        ["resourceType"] = "ServiceRequest",
        ["status"] = "draft",
        ["intent"] = "order",
        ["code"] = Concept((Cpt, "64628")),
        ["subject"] = new JsonObject { ["reference"] = "Patient/p-1" },
        ["occurrenceDateTime"] = "2027-01-10",
    };

    private static JsonObject Concept(params (string System, string Code)[] codes) => new()
    {
        ["coding"] = new JsonArray(codes.Select(c => (JsonNode)new JsonObject { ["system"] = c.System, ["code"] = c.Code }).ToArray()),
    };

    private static JsonObject CoverageInformation(string covered, string coverage) => new()
    {
        ["url"] = CoverageInformationExtension.Url,
        ["extension"] = new JsonArray(
            new JsonObject { ["url"] = "coverage", ["valueReference"] = new JsonObject { ["reference"] = coverage } },
            new JsonObject { ["url"] = "covered", ["valueCode"] = covered },
            new JsonObject { ["url"] = "date", ["valueDate"] = "2026-12-01" },
            new JsonObject { ["url"] = "coverage-assertion-id", ["valueString"] = "assertion-1" }),
    };

    public sealed class Server : IDisposable
    {
        public ThreeSlices Slices { get; } = new();

        public void Dispose() => Slices.Dispose();
    }
}
