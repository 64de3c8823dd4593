using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>
/// The whole journey on one server: CRD order-sign (coverage assertion), DTR $questionnaire-package
/// (the form), the clinician's answers, PAS $submit (the decision, linked to the CRD assertion).
/// </summary>
[Collection(PasCollection.Name)]
public sealed class EndToEndFlowTests(PasHostFixture fixture)
{
    private const string CrdService = "order-sign-crd";
    private readonly PasHost _host = fixture.Host;

    public static TheoryData<string, string, string, string> Journeys => new()
    {
        // plan, answers variant, expected X12 action, clause in the notes
        { "MGB-COMMERCIAL", "all-met", "A1", "P6" },
        { "MGB-SCO", "all-met", "A1", "P11" },
        { "MGB-COMMERCIAL", "pregnant", "A3", "P7.14" },
        { "MGB-MEDICARE-ADVANTAGE", "missing", "A4", "P7.15" },
    };

    [Theory]
    [MemberData(nameof(Journeys))]
    [Trait("Clause", "P6")]
    public async Task OrderSignThenPackageThenSubmit_Bvna_DecisionLinkedToTheCrdAssertion(string plan, string variant, string action, string clause)
    {
        // CRD: the EHR signs a BVNA order; the payer asserts coverage and names the questionnaire.
        var (assertionId, questionnaireCanonical) = await OrderSignAsync(plan, "64628");
        Assert.StartsWith(_host.Policy.Family("bvna").Questionnaire.Url, questionnaireCanonical, StringComparison.Ordinal);

        // DTR: the app fetches the questionnaire package for that order.
        var questionnaire = await QuestionnairePackageAsync(plan, questionnaireCanonical);

        // The clinician answers.
        var answers = Answers.AllMet("bvna");
        if (variant == "pregnant")
        {
            answers.Set("bvna-pregnancy-possible", true).Set("bvna-pregnancy", true);
        }
        else if (variant == "missing")
        {
            answers.Remove("bvna-treated-levels");
        }

        var filled = answers.ToResponse(_host.Policy, questionnaire);

        // PAS: the request goes in with the answers and the order carrying CRD's assertion id.
        var request = new PasRequestBuilder { Plan = plan, BirthDate = "1966-06-01" }.Line("64628", assertionId: assertionId).WithAnswers(filled);
        var answer = await _host.SubmitAsync(request.Build());

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(action, answer.ActionOf(1));
        Assert.Contains(clause, string.Join("\n", answer.ClaimResponse.ProcessNote.Select(n => n.Text)), StringComparison.Ordinal);
        Assert.Contains(answer.ClaimResponse.ProcessNote, n => n.Text!.Contains($"linked to CRD coverage assertion '{assertionId}'", StringComparison.Ordinal));
        Assert.Contains(answer.ClaimResponse.Meta!.Tag, t => t.System == SpinePolicy.Fhir.CoverageInformation.CoverageAssertionIds.System && t.Code == assertionId);
    }

    [Fact]
    [Trait("Clause", "P8")]
    public async Task OrderSign_EpiduralOnTheDayOfTheMembersCertifiedBvna_CrdWarnsAsPasPends()
    {
        var patientId = $"pat-{Guid.NewGuid():N}"[..20];
        var bvna = new PasRequestBuilder { PatientId = patientId, ServiceDate = "2026-03-02" }.Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna")));
        Assert.Equal("A1", (await _host.SubmitAsync(bvna.Build())).ActionOf(1));

        var (_, _, sameDay) = await OrderSignAsync("MGB-COMMERCIAL", "64483", patientId, "2026-03-02");
        var (_, _, nextWeek) = await OrderSignAsync("MGB-COMMERCIAL", "64483", patientId, "2026-03-09");

        Assert.Contains("P8", sameDay, StringComparison.Ordinal);
        Assert.Contains("64628", sameDay, StringComparison.Ordinal);
        Assert.DoesNotContain("P8", nextWeek, StringComparison.Ordinal);
    }

    private async Task<(string AssertionId, string Questionnaire)> OrderSignAsync(string plan, string cpt)
    {
        var (assertionId, questionnaire, _) = await OrderSignAsync(plan, cpt, "pat-flow", occurrence: null);
        return (assertionId, questionnaire);
    }

    private async Task<(string AssertionId, string Questionnaire, string Answer)> OrderSignAsync(string plan, string cpt, string patientId, string? occurrence)
    {
        var order = new ServiceRequest
        {
            Id = "sr-flow",
            Status = RequestStatus.Draft,
            Intent = RequestIntent.Order,
            Code = new CodeableConcept(PasRequestBuilder.CptSystem, cpt),
            Subject = new ResourceReference($"Patient/{patientId}"),
            AuthoredOn = "2026-02-20",
            Occurrence = occurrence is null ? null : new FhirDateTime(occurrence),
            Requester = new ResourceReference("Practitioner/dr-1"),
        };
        var patient = new Patient { Id = patientId, BirthDate = "1966-06-01", Gender = AdministrativeGender.Female };
        var coverage = new Coverage
        {
            Id = "cov-flow",
            Status = FinancialResourceStatusCodes.Active,
            Beneficiary = new ResourceReference($"Patient/{patientId}"),
            Payor = [new ResourceReference("Organization/payer")],
            Class = [new Coverage.ClassComponent { Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/coverage-class", "plan"), Value = plan }],
        };
        var body = new Dictionary<string, object?>
        {
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["hook"] = "order-sign",
            ["context"] = new Dictionary<string, object?>
            {
                ["userId"] = "Practitioner/dr-1",
                ["patientId"] = patientId,
                ["draftOrders"] = Json(new Bundle { Type = Bundle.BundleType.Collection, Entry = [new Bundle.EntryComponent { Resource = order }] }),
            },
            ["prefetch"] = new Dictionary<string, object?>
            {
                ["patient"] = Json(patient),
                ["coverage"] = Json(new Bundle { Type = Bundle.BundleType.Searchset, Entry = [new Bundle.EntryComponent { FullUrl = "http://ehr.test.example/fhir/Coverage/cov-flow", Resource = coverage }] }),
            },
        };
        using var client = _host.CreateClient(TestTokens.MintCdsHooksToken($"http://localhost/cds-services/{CrdService}"));
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri($"/cds-services/{CrdService}", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);

        using var json = JsonDocument.Parse(text);
        foreach (var action in json.RootElement.GetProperty("systemActions").EnumerateArray())
        {
            var resource = (DomainResource)FhirJson.ParseElement(action.GetProperty("resource"));
            var info = resource.Extension.FirstOrDefault(e => e.Url == SpinePolicy.Fhir.CoverageInformation.CoverageInformationExtension.Url);
            if (resource.Id == "sr-flow" && info is not null)
            {
                var id = info.Extension.First(e => e.Url == "coverage-assertion-id").Value!.ToString()!;
                var questionnaire = (info.Extension.FirstOrDefault(e => e.Url == "questionnaire")?.Value as Canonical)?.Value
                    ?? _host.Policy.Family("bvna").Questionnaire.Versioned;
                return (id, questionnaire, text);
            }
        }

        throw new InvalidOperationException($"CRD returned no coverage-information for the order: {text}");
    }

    private async Task<Questionnaire> QuestionnairePackageAsync(string plan, string canonical)
    {
        var input = new Parameters();
        input.Parameter.Add(new Parameters.ParameterComponent
        {
            Name = "coverage",
            Resource = new Coverage
            {
                Id = "cov-flow",
                Status = FinancialResourceStatusCodes.Active,
                Beneficiary = new ResourceReference("Patient/pat-flow"),
                Payor = [new ResourceReference { Display = "SpinePolicy health plan" }],
                Class = [new Coverage.ClassComponent { Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/coverage-class", "plan"), Value = plan }],
            },
        });
        input.Parameter.Add(new Parameters.ParameterComponent { Name = "questionnaire", Value = new Canonical(canonical) });

        var answer = await PasHost.PostAsync(_host.Client, "/fhir/Questionnaire/$questionnaire-package", input);
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
        var output = Assert.IsType<Parameters>(answer.Resource);
        var package = output.Parameter.Where(p => p.Name == "PackageBundle").Select(p => (Bundle)p.Resource!).First();
        return package.Entry.Select(e => e.Resource).OfType<Questionnaire>().First();
    }

    private static JsonElement Json(Resource resource) => JsonDocument.Parse(FhirJson.Serialize(resource)).RootElement.Clone();
}
