using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.FhirQuestionnaire.Tests.Operations;
using SpinePolicy.FhirQuestionnaire.Tests.Support;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirQuestionnaire.Tests.Prepopulation;

/// <summary>
/// The age the published Library pre-fills (run by the reference engine, as a DTR app runs it) is
/// the age the payer decides on: $questionnaire-package's draft states the engine's age on the
/// order's date of service, and for a member who crosses a policy age before that date both agree.
/// </summary>
[Collection(DtrAppCollection.Name)]
public sealed class PrepopulationAgreementTests(DtrAppFixture fixture)
{
    [Theory]
    [Trait("Clause", "P1")]
    [Trait("Clause", "P6")]
    [InlineData("turns-18-before-service", 18)]
    [InlineData("turns-25-before-service", 25)]
    [InlineData("turns-56-before-service", 56)]
    [InlineData("born-on-leap-day", 25)]
    public async Task LibraryAge_ForAnOrderAfterABirthday_IsTheAgeThePayerDecidesOn(string patientId, int ageOnTheDay)
    {
        var cqlAge = (await PrepopulationLibraryTests.EvaluateAsync()).GetProperty(patientId).GetProperty("AgeInYears").GetInt32();

        var (patient, order) = Read(patientId);
        var input = PackageRequests.For(PackageRequests.Coverage(patientId), ("order", order), ("referenced", patient));
        var reply = await FhirHttp.PostAsync(fixture.Client, PackageRequests.Path, input);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        var draft = Assert.IsType<QuestionnaireResponse>(Assert.Single(PackageRequests.Bundles(reply.As<Parameters>())).Entry[^1].Resource);
        var age = Assert.Single(QuestionnairePackageTests.Flatten(draft.Item), i => i.LinkId == DtrCanonicals.MemberAgeLinkId);
        var payerAge = Assert.IsType<Integer>(Assert.Single(age.Answer).Value).Value;
        Assert.Equal(ageOnTheDay, payerAge);
        Assert.Equal(payerAge, cqlAge);
    }

    private static (Patient Patient, ServiceRequest Order) Read(string patientId)
    {
        var bundle = FhirJson.Parse<Bundle>(File.ReadAllText(Path.Combine(NodeRunner.ProjectFolder, "patients", $"{patientId}.json")));
        return (bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single(), bundle.Entry.Select(e => e.Resource).OfType<ServiceRequest>().Single());
    }
}
