using System.Globalization;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir.CoverageInformation;
using SpinePolicy.Storage;

namespace SpinePolicy.FhirRest.Assertions;

/// <summary>
/// A stored CRD coverage assertion as a read-only <c>Basic</c> resource (id = coverage-assertion-id).
/// CRD's own coverage-information extension may only sit on orders, encounters and
/// QuestionnaireResponses, so the same facts travel in one extension of ours whose parts are named
/// after CRD's (covered, pa-needed, doc-needed, questionnaire, date, coverage-assertion-id).
/// </summary>
internal static class CoverageAssertionBasic
{
    public const string ExtensionUrl = "https://spinepolicy.example.org/fhir/StructureDefinition/coverage-assertion";
    public const string KindSystem = "https://spinepolicy.example.org/fhir/CodeSystem/record-kind";
    private const string CptSystem = "http://www.ama-assn.org/go/cpt";

    public static Basic From(CoverageAssertion assertion)
    {
        var facts = new Extension { Url = ExtensionUrl };
        facts.Extension.Add(new Extension("order", new ResourceReference(assertion.OrderReference)));
        if (assertion.CoverageReference is { } coverage)
        {
            facts.Extension.Add(new Extension("coverage", new ResourceReference(coverage)));
        }

        foreach (var code in assertion.AllLines.Select(l => l.CptCode).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            facts.Extension.Add(new Extension("billingCode", new Coding(CptSystem, code)));
        }

        facts.Extension.Add(new Extension("covered", new Code(assertion.Covered)));
        if (assertion.PaNeeded is { } paNeeded)
        {
            facts.Extension.Add(new Extension("pa-needed", new Code(paNeeded)));
        }

        facts.Extension.Add(new Extension("doc-needed", new FhirBoolean(assertion.DocumentationNeeded)));
        if (assertion.QuestionnaireCanonical is { } questionnaire)
        {
            facts.Extension.Add(new Extension("questionnaire", new Canonical(questionnaire)));
        }

        facts.Extension.Add(new Extension("product-line", new Code(assertion.ProductLine)));
        facts.Extension.Add(new Extension("policy-version", new FhirString(assertion.PolicyVersion)));
        facts.Extension.Add(new Extension("hook", new Code(assertion.Hook)));
        facts.Extension.Add(new Extension("date", new FhirDateTime(assertion.AssertedAt)));
        facts.Extension.Add(new Extension("coverage-assertion-id", new FhirString(assertion.AssertionId)));

        return new Basic
        {
            Id = assertion.AssertionId,
            Identifier = [new Identifier(CoverageAssertionIds.System, assertion.AssertionId)],
            Code = new CodeableConcept(KindSystem, "crd-coverage-assertion", "CRD coverage assertion"),
            Subject = assertion.PatientId is { } patient ? new ResourceReference("Patient/" + patient) : null,
            Created = assertion.AssertedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Extension = [facts],
        };
    }
}
