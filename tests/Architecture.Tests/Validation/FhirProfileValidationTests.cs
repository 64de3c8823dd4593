using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Validation;
using Xunit.Sdk;

namespace SpinePolicy.Architecture.Tests.Validation;

/// <summary>
/// Proves the validation kit other test projects rely on: conformant published examples pass, and
/// broken copies of them fail with the error a reviewer would expect, so the kit can fail.
/// </summary>
public sealed class FhirProfileValidationTests
{
    private const string PasResponseBundle = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-pas-response-bundle";
    private const string PasClaim = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-claim";
    private const string DtrPackageInput = "http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/dtr-qpackage-input-parameters";

    private static FhirProfileValidation Validation => FhirProfileValidation.Shared;

    private static T Fixture<T>(string path) where T : Resource => FhirJson.Parse<T>(RepositoryPaths.ReadInferno(path));

    [Fact]
    public void PasResponseBundle_InfernoConformantExample_HasNoErrors()
    {
        var bundle = Fixture<Bundle>("pas/valid_pa_response_bundle.json");

        var result = Validation.AssertConforms(bundle, PasResponseBundle);

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void PasResponseBundle_ClaimResponseWithoutOutcome_ReportsMissingOutcome()
    {
        var bundle = Fixture<Bundle>("pas/valid_pa_response_bundle.json");
        bundle.Entry.Select(e => e.Resource).OfType<ClaimResponse>().Single().Outcome = null;

        var result = Validation.Validate(bundle, PasResponseBundle);

        Assert.False(result.Conforms);
        Assert.Contains(result.Errors, e => e.Expression.StartsWith("Bundle.entry[0].resource", StringComparison.Ordinal)
            && e.Text.Contains("'outcome'", StringComparison.Ordinal));
    }

    [Fact]
    public void DtrPackageInput_InfernoConformantExample_HasNoErrors()
    {
        var parameters = Fixture<Parameters>("dtr/questionnaire_package_input_params_conformant.json");

        var result = Validation.AssertConforms(parameters, DtrPackageInput);

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void DtrPackageInput_WithoutCoverage_ReportsMissingCoverageSlice()
    {
        var parameters = Fixture<Parameters>("dtr/questionnaire_package_input_params_conformant.json");
        parameters.Parameter.RemoveAll(p => p.Name == "coverage");

        var result = Validation.Validate(parameters, DtrPackageInput);

        Assert.False(result.Conforms);
        Assert.Contains(result.Errors, e => e.Text.Contains("coverage", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void AssertConforms_BrokenResource_FailsListingEveryError()
    {
        var bundle = Fixture<Bundle>("pas/valid_pa_response_bundle.json");
        var claimResponse = bundle.Entry.Select(e => e.Resource).OfType<ClaimResponse>().Single();
        claimResponse.Outcome = null;
        claimResponse.Created = null;

        var failure = Assert.Throws<XunitException>(() => Validation.AssertConforms(bundle, PasResponseBundle));

        Assert.Contains("'outcome'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("'created'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PasClaim_PatchedCareTeamDiscriminator_CompilesAndValidates()
    {
        // The published Claim profile cannot be compiled without the patch (README.md); with it, the
        // Inferno claim gets ordinary findings: only the missing item.category PAS 2.0.1 requires.
        var claim = Fixture<Claim>("pas/pas_claim.json");

        var before = Validation.Validate(claim, PasClaim);
        claim.Item[0].Category = new CodeableConcept("https://codesystem.x12.org/005010/1365", "3");
        var after = Validation.Validate(claim, PasClaim);

        Assert.Contains(before.Errors, e => e.Text.Contains("'category'", StringComparison.Ordinal));
        Assert.True(after.Conforms, after.DescribeErrors());
    }

    [Fact]
    public void PackageCache_PasClaimProfiles_CarryNoTypeCastInDiscriminator()
    {
        var pas = Validation.PackageFolders.Single(f => f.Contains("davinci-pas-2.0.1", StringComparison.Ordinal));

        var claimProfiles = Directory.GetFiles(pas, "StructureDefinition-profile-claim*.json");

        Assert.NotEmpty(claimProfiles);
        // The discriminator path is a JSON string value ending in the cast; the narrative may still quote it.
        Assert.All(claimProfiles, path => Assert.DoesNotContain("').value as boolean\"", File.ReadAllText(path), StringComparison.Ordinal));
    }

    [Fact]
    public void CrdPatientProfile_Requested_IsValidatedAgainstUsCorePatient()
    {
        var patient = Fixture<Patient>("crd/crd_patient_example.json");

        var conformant = Validation.Validate(patient, FhirProfileValidation.CrdPatientProfile);
        patient.Gender = null;
        var withoutGender = Validation.Validate(patient, FhirProfileValidation.CrdPatientProfile);

        Assert.Equal([FhirProfileValidation.UsCorePatientProfile], conformant.Profiles);
        Assert.True(conformant.Conforms, conformant.DescribeErrors());
        Assert.Contains(withoutGender.Errors, e => e.Text.Contains("'gender'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ProfileNotInAnyPackage_ThrowsInsteadOfPassing()
    {
        var patient = Fixture<Patient>("crd/crd_patient_example.json");

        var error = Assert.Throws<ArgumentException>(() => Validation.Validate(patient, "http://example.org/StructureDefinition/typo"));

        Assert.Contains("typo", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KnownNoise_X12TerminologyWarnings_AreSetAsideOnlyForLicensedCodeSystems()
    {
        var bundle = Fixture<Bundle>("pas/valid_pa_response_bundle.json");

        var result = Validation.Validate(bundle, PasResponseBundle);

        Assert.NotEmpty(result.Suppressed);
        Assert.All(result.Suppressed, issue =>
        {
            Assert.Equal("6006", issue.FirelyIssueNumber);
            Assert.Equal(OperationOutcome.IssueSeverity.Warning, issue.Severity);
            Assert.Contains("x12.org", issue.Text, StringComparison.OrdinalIgnoreCase);
        });
        Assert.DoesNotContain(result.Issues, issue => issue.Text.Contains("x12.org", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void KnownNoise_ErrorOutsideAllowList_IsNeverSuppressed()
    {
        var error = new ValidationIssue(
            OperationOutcome.IssueSeverity.Error,
            OperationOutcome.IssueType.Informational,
            "6006",
            "Bundle.entry[0].resource",
            "valueset 'https://valueset.x12.org/x217/005010/response/2000F/HCR/1/01/00/306' is unknown.");
        var bdl3bElsewhere = new ValidationIssue(
            OperationOutcome.IssueSeverity.Error,
            OperationOutcome.IssueType.Invariant,
            "1012",
            "Bundle.entry[1].resource",
            "Instance failed constraint bdl-3b");

        Assert.False(KnownValidatorNoise.IsNoise(error));
        Assert.False(KnownValidatorNoise.IsNoise(bdl3bElsewhere));
    }

    [Fact]
    public void BackportNotification_InfernoExample_OnlyBdl3bIsSetAside()
    {
        var bundle = Fixture<Bundle>("pas/PAS_notification_example_full_resource.json");

        var result = Validation.Validate(bundle, "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-notification-r4");

        Assert.True(result.Conforms, result.DescribeErrors());
        Assert.Contains(result.Suppressed, issue => issue.Text.Contains("bdl-3b", StringComparison.Ordinal));
    }
}
