using Hl7.Fhir.Model;

namespace SpinePolicy.CdsHooks.Tests.Support;

/// <summary>The sub-extensions of one CRD ext-coverage-information, read back from a returned resource.</summary>
public sealed record CoverageInfo(
    Extension Extension,
    string? Coverage,
    string? Covered,
    string? PaNeeded,
    string? DocNeeded,
    IReadOnlyList<string> DocPurpose,
    IReadOnlyList<string> InfoNeeded,
    string? BillingCode,
    string? Reason,
    string? Questionnaire,
    string? Date,
    string? AssertionId)
{
    public const string Url = "http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information";

    public static IReadOnlyList<CoverageInfo> Read(DomainResource resource) =>
        resource.Extension.Where(e => e.Url == Url).Select(Read).ToList();

    private static CoverageInfo Read(Extension e) => new(
        e,
        e.GetExtensionValue<ResourceReference>("coverage")?.Reference,
        Code(e, "covered"),
        Code(e, "pa-needed"),
        Code(e, "doc-needed"),
        e.GetExtensions("doc-purpose").Select(x => (x.Value as Code)?.Value ?? "").ToList(),
        e.GetExtensions("info-needed").Select(x => (x.Value as Code)?.Value ?? "").ToList(),
        e.GetExtensionValue<Coding>("billingCode")?.Code,
        e.GetExtensionValue<CodeableConcept>("reason")?.Text,
        e.GetExtensionValue<Canonical>("questionnaire")?.Value,
        e.GetExtensionValue<Date>("date")?.Value,
        e.GetExtensionValue<FhirString>("coverage-assertion-id")?.Value);

    private static string? Code(Extension e, string url) => e.GetExtensionValue<Code>(url)?.Value;
}
