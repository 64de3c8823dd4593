using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.FhirQuestionnaire.Tests.Support;
using SpinePolicy.TestKit;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirQuestionnaire.Tests.Operations;

/// <summary>DTR 2.0.1 $questionnaire-package over the real pipeline.</summary>
[Collection(DtrAppCollection.Name)]
public sealed class QuestionnairePackageTests(DtrAppFixture fixture)
{
    private const string Bvna = "https://spinepolicy.example.org/fhir/Questionnaire/bvna-097";
    private const string Esi = "https://spinepolicy.example.org/fhir/Questionnaire/esi-097";

    /// <summary>
    /// The published Questionnaire, Library and expanded value sets are written once and spliced into
    /// every package (SerializedOnce): the answer is still exactly what Firely writes for it, and the
    /// second package carries the same published JSON as the first.
    /// </summary>
    [Fact]
    public async Task Package_JsonAnswer_IsWhatFirelyWritesForItAndRepeatsThePublishedParts()
    {
        var input = PackageRequests.For(
            PackageRequests.Coverage("pkg-spliced"),
            ("order", PackageRequests.Order("bvna-spliced", "pkg-spliced", "64628")),
            ("referenced", PackageRequests.Patient("pkg-spliced", "1979-03-02")));

        var first = await FhirHttp.PostAsync(fixture.Client, PackageRequests.Path, input);
        var second = await FhirHttp.PostAsync(fixture.Client, PackageRequests.Path, input);

        Assert.True(first.Status == HttpStatusCode.OK, first.Body);
        Assert.Equal(SpinePolicy.Fhir.FhirJson.Serialize(SpinePolicy.Fhir.FhirJson.Parse<Parameters>(first.Body)), first.Body);
        // The published resources themselves, not stand-ins: the Questionnaire first, whole, then its Library and value sets.
        var entries = PackageRequests.Bundles(first.As<Parameters>()).Single().Entry.Select(e => e.Resource).ToList();
        var questionnaire = Assert.IsType<Questionnaire>(entries[0]);
        Assert.Equal(Bvna, questionnaire.Url);
        Assert.NotEmpty(questionnaire.Item);
        Assert.DoesNotContain(entries, e => e is Basic);
        Assert.Single(entries.OfType<Library>(), l => l.Content.Count > 0);
        Assert.Contains(entries.OfType<ValueSet>(), v => v.Expansion?.Contains.Count > 0);
        var published = PackageRequests.Bundles(first.As<Parameters>()).Single().Entry.SkipLast(1).Select(e => SpinePolicy.Fhir.FhirJson.Serialize(e.Resource!)).ToList();
        var again = PackageRequests.Bundles(second.As<Parameters>()).Single().Entry.SkipLast(1).Select(e => SpinePolicy.Fhir.FhirJson.Serialize(e.Resource!)).ToList();
        Assert.Equal(published, again);
        Assert.True(published.Count >= 4, $"Questionnaire, Library and value sets expected; got {published.Count} published entries.");
    }

    [Fact]
    public async Task Package_Answer_StatesItsLengthAndArrivesWhole()
    {
        var input = PackageRequests.For(
            PackageRequests.Coverage("pkg-length"),
            ("order", PackageRequests.Order("bvna-length", "pkg-length", "64628")));
        using var content = new StringContent(SpinePolicy.Fhir.FhirJson.Serialize(input), System.Text.Encoding.UTF8, "application/fhir+json");

        using var response = await fixture.Client.PostAsync(PackageRequests.Path, content);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.Single(PackageRequests.Bundles(SpinePolicy.Fhir.FhirJson.Parse<Parameters>(body)));
    }

    [Fact]
    [Trait("Clause", "P6")]
    public async Task Package_ForABvnaOrder_ReturnsQuestionnaireFirstThenLibraryValueSetsAndAPrefilledDraft()
    {
        var birth = DateTime.UtcNow.AddYears(-47).AddDays(-10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var input = PackageRequests.For(
            PackageRequests.Coverage("pkg-1"),
            ("order", PackageRequests.Order("bvna-order", "pkg-1", "64628")),
            ("referenced", PackageRequests.Patient("pkg-1", birth)));

        var reply = await FhirHttp.PostAsync(fixture.Client, PackageRequests.Path, input);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        var bundle = Assert.Single(PackageRequests.Bundles(reply.As<Parameters>()));
        var questionnaire = Assert.IsType<Questionnaire>(bundle.Entry[0].Resource);
        Assert.Equal(Bvna, questionnaire.Url);
        Assert.Equal("2026.01.1", questionnaire.Version);

        var library = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<Library>());
        Assert.Contains(library.Content, c => c.ContentType == "text/cql");
        Assert.Contains(library.Content, c => c.ContentType == "application/elm+json");
        var valueSets = bundle.Entry.Select(e => e.Resource).OfType<ValueSet>().ToList();
        Assert.Contains(valueSets, v => v.Url == DtrCanonicals.VertebralLevelValueSet && v.Expansion?.Contains.Count == 8);
        Assert.Contains(valueSets, v => v.Url == DtrCanonicals.LumbarSpineSurgeryValueSet);

        var draft = Assert.IsType<QuestionnaireResponse>(bundle.Entry[^1].Resource);
        Assert.Equal(QuestionnaireResponse.QuestionnaireResponseStatus.InProgress, draft.Status);
        Assert.Equal($"{Bvna}|2026.01.1", draft.Questionnaire);
        var age = Assert.Single(Flatten(draft.Item), i => i.LinkId == DtrCanonicals.MemberAgeLinkId);
        var answer = Assert.Single(age.Answer);
        Assert.Equal(47, Assert.IsType<Integer>(answer.Value).Value);
        Assert.Equal("auto", OriginOf(answer));
    }

    [Fact]
    public async Task Package_EveryCqfLibrary_ResolvesInsideItsBundle()
    {
        var input = PackageRequests.For(PackageRequests.Coverage("pkg-2"), ("questionnaire", new Canonical(Bvna)), ("questionnaire", new Canonical(Esi)), ("questionnaire", new Canonical("https://spinepolicy.example.org/fhir/Questionnaire/facet-097|2026.01.1")));

        var reply = await FhirHttp.PostAsync(fixture.Client, PackageRequests.Path, input);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var bundles = PackageRequests.Bundles(reply.As<Parameters>()).ToList();
        Assert.Equal(3, bundles.Count);
        foreach (var bundle in bundles)
        {
            var questionnaire = Assert.IsType<Questionnaire>(bundle.Entry[0].Resource);
            var libraries = bundle.Entry.Select(e => e.Resource).OfType<Library>().Select(l => $"{l.Url}|{l.Version}").ToHashSet();
            foreach (var cqf in questionnaire.Extension.Where(e => e.Url == DtrCanonicals.Extensions.CqfLibrary))
            {
                Assert.Contains(Assert.IsType<Canonical>(cqf.Value).Value ?? string.Empty, libraries);
            }

            var valueSets = bundle.Entry.Select(e => e.Resource).OfType<ValueSet>().Select(v => $"{v.Url}|{v.Version}").ToHashSet();
            foreach (var item in QuestionnaireItems.Flatten(questionnaire.Item).Where(i => i.AnswerValueSet is not null))
            {
                Assert.Contains(item.AnswerValueSet ?? string.Empty, valueSets);
            }
        }
    }

    [Fact]
    public async Task Package_WithAnUnknownCanonical_ServesTheKnownOneAndWarns()
    {
        var input = PackageRequests.For(PackageRequests.Coverage("pkg-3"), ("questionnaire", new Canonical(Esi)), ("questionnaire", new Canonical("https://example.org/Questionnaire/unknown|1")));

        var reply = await FhirHttp.PostAsync(fixture.Client, PackageRequests.Path, input);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var output = reply.As<Parameters>();
        var bundle = Assert.Single(PackageRequests.Bundles(output));
        Assert.Equal(Esi, Assert.IsType<Questionnaire>(bundle.Entry[0].Resource).Url);
        var outcome = PackageRequests.OutcomeOf(output);
        Assert.NotNull(outcome);
        Assert.Contains(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Warning && (i.Diagnostics ?? string.Empty).Contains("example.org/Questionnaire/unknown", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Package_ChangedSinceAfterThePublication_ReturnsNoBundleAndSaysNothingChanged()
    {
        var input = PackageRequests.For(PackageRequests.Coverage("pkg-4"), ("questionnaire", new Canonical(Esi)), ("changedsince", new Instant(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero))));

        var reply = await FhirHttp.PostAsync(fixture.Client, PackageRequests.Path, input);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var output = reply.As<Parameters>();
        Assert.Empty(PackageRequests.Bundles(output));
        Assert.Contains(PackageRequests.OutcomeOf(output)!.Issue, i => (i.Diagnostics ?? string.Empty).Contains("not changed", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Clause", "P10")]
    public async Task Package_ForAMassHealthBvnaOrder_ServesNoQuestionnaireAndSaysWhy()
    {
        var input = PackageRequests.For(PackageRequests.Coverage("pkg-5", "MGB-MASSHEALTH-ACO"), ("order", PackageRequests.Order("o", "pkg-5", "64628")));

        var reply = await FhirHttp.PostAsync(fixture.Client, PackageRequests.Path, input);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
        Assert.Contains(reply.As<OperationOutcome>().Issue, i => (i.Diagnostics ?? string.Empty).Contains("P10", StringComparison.Ordinal));
    }

    /// <summary>CRD and PAS refuse the same record (PatientFacts.CheckBornBy): a member born after the service is not an unknown age.</summary>
    [Fact]
    public async Task Package_MemberBornAfterTheDateOfService_422NamingTheBirthDate()
    {
        var input = PackageRequests.For(
            PackageRequests.Coverage("pkg-born"),
            ("order", PackageRequests.Order("o", "pkg-born", "64628")),
            ("referenced", PackageRequests.Patient("pkg-born", "2999-01-01")));

        var reply = await FhirHttp.PostAsync(fixture.Client, PackageRequests.Path, input);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
        var issue = Assert.Single(reply.As<OperationOutcome>().Issue);
        Assert.Contains("after the date of service", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Equal("Patient.birthDate", issue.Expression.Single());
    }

    public static TheoryData<string, int> BadInputs() => new()
    {
        { "{\"resourceType\":\"Patient\",\"id\":\"x\"}", 400 },
        { "{ not json", 400 },
        { "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"questionnaire\",\"valueCanonical\":\"https://spinepolicy.example.org/fhir/Questionnaire/esi-097\"}]}", 400 },
        { "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"coverage\",\"resource\":{\"resourceType\":\"Coverage\",\"id\":\"c\",\"status\":\"active\",\"beneficiary\":{\"reference\":\"Patient/p\"},\"payor\":[{\"display\":\"x\"}]}}]}", 400 },
        { "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"coverage\",\"resource\":{\"resourceType\":\"Coverage\",\"id\":\"c\",\"status\":\"active\",\"beneficiary\":{\"reference\":\"Patient/p\"},\"payor\":[{\"display\":\"x\"}],\"class\":[{\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/coverage-class\",\"code\":\"plan\"}]},\"value\":\"MGB-COMMERCIAL\"}]}},{\"name\":\"questionnaire\",\"valueCanonical\":\"https://example.org/Questionnaire/unknown\"}]}", 422 },
        { "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"coverage\",\"resource\":{\"resourceType\":\"Coverage\",\"id\":\"c\",\"status\":\"active\",\"beneficiary\":{\"reference\":\"Patient/p\"},\"payor\":[{\"display\":\"x\"}],\"class\":[{\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/coverage-class\",\"code\":\"plan\"}]},\"value\":\"NOT-OUR-PLAN\"}]}},{\"name\":\"questionnaire\",\"valueCanonical\":\"https://spinepolicy.example.org/fhir/Questionnaire/esi-097\"}]}", 422 },
        { "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"coverage\",\"resource\":{\"resourceType\":\"Coverage\",\"id\":\"c\",\"status\":\"active\",\"beneficiary\":{\"reference\":\"Patient/p\"},\"payor\":[{\"display\":\"x\"}],\"class\":[{\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/coverage-class\",\"code\":\"plan\"}]},\"value\":\"MGB-COMMERCIAL\"}]}},{\"name\":\"context\",\"valueString\":\"no-such-assertion\"}]}", 422 },
        // Read straight from the JSON (issue #11): each element the operation uses is checked as Firely would.
        { "[1, 2]", 400 },
        { "{\"resourceType\":\"Parameters\",\"parameter\":{\"name\":\"coverage\"}}", 400 },
        { "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"coverage\",\"resource\":{\"resourceType\":\"Coverage\",\"id\":\"c\",\"status\":\"bogus\",\"beneficiary\":{\"reference\":\"Patient/p\"},\"payor\":[{\"display\":\"x\"}],\"class\":[{\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/coverage-class\",\"code\":\"plan\"}]},\"value\":\"MGB-COMMERCIAL\"}]}},{\"name\":\"order\",\"resource\":{\"resourceType\":\"ServiceRequest\",\"id\":\"o\",\"status\":\"draft\",\"intent\":\"order\",\"code\":{\"coding\":[{\"system\":\"http://www.ama-assn.org/go/cpt\",\"code\":\"64628\"}]},\"subject\":{\"reference\":\"Patient/p\"}}}]}", 400 },
        { "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"coverage\",\"resource\":{\"resourceType\":\"Coverage\",\"id\":\"c\",\"status\":\"active\",\"beneficiary\":\"Patient/p\",\"payor\":[{\"display\":\"x\"}],\"class\":[{\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/coverage-class\",\"code\":\"plan\"}]},\"value\":\"MGB-COMMERCIAL\"}]}},{\"name\":\"order\",\"resource\":{\"resourceType\":\"ServiceRequest\",\"id\":\"o\",\"status\":\"draft\",\"intent\":\"order\",\"code\":{\"coding\":[{\"system\":\"http://www.ama-assn.org/go/cpt\",\"code\":\"64628\"}]},\"subject\":{\"reference\":\"Patient/p\"}}}]}", 400 },
        { "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"coverage\",\"resource\":{\"resourceType\":\"Coverage\",\"id\":\"c\",\"status\":\"active\",\"beneficiary\":{\"reference\":\"Patient/p\"},\"payor\":[{\"display\":\"x\"}],\"class\":[{\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/coverage-class\",\"code\":\"plan\"}]},\"value\":\"MGB-COMMERCIAL\"}]}},{\"name\":\"order\",\"resource\":{\"resourceType\":\"ServiceRequest\",\"id\":\"o\",\"status\":\"draft\",\"intent\":\"order\",\"code\":{\"coding\":[{\"system\":\"http://www.ama-assn.org/go/cpt\",\"code\":\"64628\"}]},\"subject\":{\"reference\":\"Patient/p\"},\"quantityQuantity\":{\"value\":\"two\"}}}]}", 400 },
        { "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"coverage\",\"resource\":{\"resourceType\":\"Coverage\",\"id\":\"c\",\"status\":\"active\",\"beneficiary\":{\"reference\":\"Patient/p\"},\"payor\":[{\"display\":\"x\"}],\"class\":[{\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/coverage-class\",\"code\":\"plan\"}]},\"value\":\"MGB-COMMERCIAL\"}]}},{\"name\":\"order\",\"resource\":{\"resourceType\":\"ServiceRequest\",\"id\":\"o\",\"status\":\"draft\",\"intent\":\"order\",\"code\":{\"coding\":[{\"system\":\"http://www.ama-assn.org/go/cpt\",\"code\":\"64628\"}]},\"subject\":{\"reference\":\"Patient/p\"},\"occurrenceDateTime\":\"soon\"}}]}", 400 },
        { "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"coverage\",\"resource\":{\"resourceType\":\"Coverage\",\"id\":\"c\",\"status\":\"active\",\"beneficiary\":{\"reference\":\"Patient/p\"},\"payor\":[{\"display\":\"x\"}],\"class\":[{\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/coverage-class\",\"code\":\"plan\"}]},\"value\":\"MGB-COMMERCIAL\"}]}},{\"name\":\"order\",\"resource\":\"ServiceRequest/o\"}]}", 400 },
        { "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"coverage\",\"resource\":{\"resourceType\":\"Coverage\",\"id\":\"c\",\"status\":\"active\",\"beneficiary\":{\"reference\":\"Patient/p\"},\"payor\":[{\"display\":\"x\"}],\"class\":[{\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/coverage-class\",\"code\":\"plan\"}]},\"value\":\"MGB-COMMERCIAL\"}]}},{\"name\":\"order\",\"resource\":{\"resourceType\":\"ServiceRequest\",\"id\":\"o\",\"status\":\"draft\",\"intent\":\"order\",\"code\":{\"coding\":[{\"system\":\"http://www.ama-assn.org/go/cpt\",\"code\":\"64628\"}]},\"subject\":{\"reference\":\"Patient/p\"}}},{\"name\":\"changedsince\",\"valueInstant\":\"yesterday\"}]}", 400 },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Package_BadInputUnknownCoverageOrContext_ReturnsAClientErrorOperationOutcome(string body, int status)
    {
        var reply = await FhirHttp.PostRawAsync(fixture.Client, PackageRequests.Path, body);

        Assert.True((int)reply.Status == status, $"{(int)reply.Status}: {reply.Body}");
        Assert.NotEmpty(reply.As<OperationOutcome>().Issue);
    }

    [Theory]
    [InlineData("dtr/questionnaire_package_input_params_conformant.json")]
    [InlineData("dtr/questionnaire_package_input_params_non_conformant.json")]
    public async Task Package_InfernoInputs_AreAnsweredWithoutA500(string fixturePath)
    {
        var reply = await FhirHttp.PostRawAsync(fixture.Client, PackageRequests.Path, RepositoryPaths.ReadInferno(fixturePath));

        // Inferno orders a blood gas panel under another payer's plan: nothing of ours applies.
        Assert.InRange((int)reply.Status, 200, 499);
        Assert.Equal("application/fhir+json", reply.ContentType);
    }

    internal static IEnumerable<QuestionnaireResponse.ItemComponent> Flatten(IEnumerable<QuestionnaireResponse.ItemComponent> items) =>
        items.SelectMany(i => Flatten(i.Item).Prepend(i));

    internal static string? OriginOf(QuestionnaireResponse.AnswerComponent answer) =>
        answer.Extension.SingleOrDefault(e => e.Url == DtrCanonicals.Extensions.InformationOrigin)?
            .Extension.SingleOrDefault(e => e.Url == "source")?.Value is Code { Value: { } source } ? source : null;
}
