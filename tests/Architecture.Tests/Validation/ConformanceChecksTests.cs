using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Validation;
using Xunit.Sdk;

namespace SpinePolicy.Architecture.Tests.Validation;

/// <summary>The checks no profile states, on Inferno examples and on copies broken on purpose.</summary>
public sealed class ConformanceChecksTests
{
    private static Bundle Fixture(string path) => FhirJson.Parse<Bundle>(RepositoryPaths.ReadInferno(path));

    [Fact]
    public void DtrStaticPackage_InfernoExample_PassesLibraryAndCqfLibraryChecks()
    {
        var bundle = Fixture("dtr/questionnaire_dinner_order_static.json");

        ConformanceChecks.AssertCqfLibrariesResolveInBundle(bundle);
        Assert.All(bundle.Entry.Select(e => e.Resource).OfType<Library>(), ConformanceChecks.AssertLibraryCarriesCqlAndElmJson);
    }

    [Fact]
    public void CqfLibrary_LibraryMissingFromBundle_IsReported()
    {
        var bundle = Fixture("dtr/questionnaire_dinner_order_static.json");
        bundle.Entry.RemoveAll(e => e.Resource is Library);
        var questionnaire = bundle.Entry.Select(e => e.Resource).OfType<Questionnaire>().Single();

        var problems = ConformanceChecks.FindUnresolvedCqfLibraries(questionnaire, bundle);

        Assert.Contains(problems, p => p.Contains("https://madie.cms.gov/Library/DTRTest", StringComparison.Ordinal));
        Assert.Throws<XunitException>(() => ConformanceChecks.AssertCqfLibrariesResolveInBundle(bundle));
    }

    [Fact]
    public void Library_WithoutElmJson_IsReported()
    {
        var library = Fixture("dtr/questionnaire_dinner_order_static.json").Entry.Select(e => e.Resource).OfType<Library>().Single();
        library.Content.RemoveAll(a => a.ContentType == ConformanceChecks.ElmJsonContentType);

        var problems = ConformanceChecks.FindLibraryContentProblems(library);

        Assert.Contains(problems, p => p.Contains("application/elm+json", StringComparison.Ordinal));
    }

    [Fact]
    public void References_ConformantPasRequest_AllResolve()
    {
        var bundle = Fixture("pas/conformant_pas_bundle_v110.json");

        ConformanceChecks.AssertReferencesResolveInBundle(bundle);
    }

    [Fact]
    public void References_InfernoMissingReferencedResource_ReportsThePractitioner()
    {
        var bundle = Fixture("pas/missing_referenced_resource_request_bundle.json");

        var problems = ConformanceChecks.FindUnresolvedReferences(bundle);

        var problem = Assert.Single(problems);
        Assert.Contains("Practitioner/ReferralPractitionerExample", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void FullUrls_ConformantResponse_MatchIds()
    {
        var bundle = Fixture("pas/valid_pa_response_bundle.json");

        ConformanceChecks.AssertFullUrlsMatchIds(bundle);
    }

    [Fact]
    public void FullUrls_PatientEntryWithOtherId_IsReported()
    {
        var bundle = Fixture("pas/valid_pa_response_bundle.json");
        bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single().Id = "someone-else";

        var problems = ConformanceChecks.FindFullUrlMismatches(bundle);

        var problem = Assert.Single(problems);
        Assert.Contains("Patient/someone-else", problem, StringComparison.Ordinal);
    }
}
