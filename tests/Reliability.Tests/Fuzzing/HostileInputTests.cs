using Xunit.Abstractions;

namespace SpinePolicy.Reliability.Tests.Fuzzing;

/// <summary>
/// Generated hostile input through the real HTTP pipeline, per endpoint family: zero 5xx, every
/// rejection a 4xx with a message (an OperationOutcome for FHIR), and the server healthy and still
/// answering a valid request the same way afterwards. SPINEPOLICY_FUZZ_INPUTS sets the count.
/// </summary>
[Collection(FuzzCollection.Name)]
[Trait("Category", "Fuzz")]
public sealed class HostileInputTests(FuzzAppFixture fixture, ITestOutputHelper output)
{
    private const string FhirJson = "application/fhir+json";

    private static readonly string[] CdsServices =
    [
        "order-sign-crd", "order-select-crd", "order-dispatch-crd", "appointment-book-crd", "encounter-start-crd", "encounter-discharge-crd",
    ];

    private static readonly string[] InfernoHooks =
    [
        "crd/order_sign_hook_request.json", "crd/order_select_hook_request.json", "crd/order_dispatch_hook_request.json",
        "crd/appointment_book_hook_request.json", "crd/encounter_start_hook_request.json", "crd/encounter_discharge_hook_request.json",
    ];

    [Fact]
    public async Task CdsHooks_HostileBodies_NoServerErrorAndStillServing()
    {
        var valid = fixture.OrderSignBody();
        var seeds = new List<byte[]> { valid };
        seeds.AddRange(InfernoHooks.Select(ValidRequests.Inferno));
        var report = new FuzzReport("cds-hooks");
        var baseline = await FuzzAppFixture.PostValidAsync(fixture.CdsHooks, "/cds-services/order-sign-crd", valid, "application/json");

        var inputs = Inputs(seeds, "application/json").ToList();
        for (var s = 0; s < CdsServices.Length; s++)
        {
            var share = inputs.Where((_, i) => i % CdsServices.Length == s);
            await FuzzRunner.PostAllAsync(fixture.CdsHooks, $"/cds-services/{CdsServices[s]}", share, report);
        }

        await AssertHealthyAsync(report, baseline, () => FuzzAppFixture.PostValidAsync(fixture.CdsHooks, "/cds-services/order-sign-crd", valid, "application/json"));
    }

    [Fact]
    public async Task QuestionnairePackage_HostileBodies_NoServerErrorAndStillServing()
    {
        var valid = ValidRequests.Bytes(ValidRequests.QuestionnairePackage());
        await FuzzOperationAsync("questionnaire-package", "/fhir/Questionnaire/$questionnaire-package", valid,
            ValidRequests.Inferno("dtr/questionnaire_package_input_params_conformant.json"),
            ValidRequests.Inferno("dtr/questionnaire_package_input_params_non_conformant.json"));
    }

    [Fact]
    public async Task NextQuestion_HostileBodies_NoServerErrorAndStillServing()
    {
        var valid = ValidRequests.Bytes(ValidRequests.NextQuestion());
        await FuzzOperationAsync("next-question", "/fhir/Questionnaire/$next-question", valid,
            ValidRequests.Inferno("dtr/next_question_initial_input_params_conformant.json"),
            ValidRequests.Inferno("dtr/next_question_initial_input_params_nonconformant.json"));
    }

    [Fact]
    public async Task Submit_HostileBodies_NoServerErrorAndStillServing()
    {
        var valid = ValidRequests.Bytes(ValidRequests.PasRequest());
        await FuzzOperationAsync("submit", "/fhir/Claim/$submit", valid,
            ValidRequests.Inferno("pas/conformant_pas_bundle_v110.json"),
            ValidRequests.Inferno("pas/conformant_pas_bundle_v110_multiple_items.json"),
            ValidRequests.Inferno("pas/missing_referenced_resource_request_bundle.json"));
    }

    [Fact]
    public async Task MemberMatch_HostileBodies_NoServerErrorAndStillServing()
    {
        var valid = ValidRequests.Bytes(ValidRequests.MemberMatch());
        await FuzzOperationAsync("member-match", "/fhir/Patient/$member-match", valid, fixture.PayerPartner);
    }

    [Fact]
    public async Task Search_HostileQueries_NoServerErrorAndStillServing()
    {
        var report = new FuzzReport("search");
        var baseline = await SearchStatusAsync();
        await FuzzRunner.GetAllAsync(fixture.Fhir, new HostileQueries(FuzzRunner.Seed).Generate(FuzzRunner.InputsPerFamily), report);
        await AssertHealthyAsync(report, baseline, SearchStatusAsync);
    }

    private async Task<int> SearchStatusAsync()
    {
        using var response = await fixture.Fhir.GetAsync($"/fhir/ClaimResponse?patient={ValidRequests.PatientId}&_count=5");
        return (int)response.StatusCode;
    }

    private Task FuzzOperationAsync(string family, string path, byte[] valid, params byte[][] moreSeeds) =>
        FuzzOperationAsync(family, path, valid, fixture.Fhir, moreSeeds);

    private async Task FuzzOperationAsync(string family, string path, byte[] valid, HttpClient client, params byte[][] moreSeeds)
    {
        var report = new FuzzReport(family);
        var baseline = await FuzzAppFixture.PostValidAsync(client, path, valid, FhirJson);
        await FuzzRunner.PostAllAsync(client, path, Inputs([valid, .. moreSeeds], FhirJson), report);
        await AssertHealthyAsync(report, baseline, () => FuzzAppFixture.PostValidAsync(client, path, valid, FhirJson));
    }

    /// <summary>The systematic wrong-type-in-every-slot inputs first, then random mutations up to the count.</summary>
    private static IEnumerable<HostileInput> Inputs(List<byte[]> seeds, string contentType)
    {
        var total = FuzzRunner.InputsPerFamily;
        var generator = new HostileBodies(seeds, FuzzRunner.Seed, contentType);
        var systematic = generator.WrongTypeInEverySlot(maxPerSeed: Math.Max(6, total / (10 * seeds.Count))).Take(total / 5).ToList();
        return systematic.Concat(generator.Generate(total - systematic.Count));
    }

    private async Task AssertHealthyAsync(FuzzReport report, int baseline, Func<Task<int>> validAgain)
    {
        output.WriteLine(report.Summary());
        report.Save();
        foreach (var failure in report.Failures.Take(20))
        {
            output.WriteLine(failure);
        }

        Assert.True(report.Tried >= FuzzRunner.InputsPerFamily, $"only {report.Tried} inputs were tried");

        // Mostly 403s means the fuzz client may not call the endpoint and the inputs never reached a parser.
        Assert.True(report.Statuses.GetValueOrDefault(403) < report.Tried / 2, $"{report.Family}: most inputs were refused with 403 before being read");
        Assert.Empty(report.Failures);
        Assert.Equal(0, report.ServerErrors);
        Assert.True(await fixture.IsAliveAsync(), "/healthz failed after the fuzz run");
        var after = await validAgain();
        Assert.True(after < 500, $"a valid request got {after} after the fuzz run");
        Assert.Equal(baseline, after);
    }
}
