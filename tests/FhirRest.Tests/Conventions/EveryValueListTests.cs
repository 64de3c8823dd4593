using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.Conventions;

/// <summary>
/// Comma OR lists on token, uri, string and reference parameters, <c>identifier=system|</c>, and a
/// canonical <c>url|version</c> (as a CRD card names a questionnaire) as a url value, on every type
/// that has the parameter.
/// </summary>
public abstract partial class FhirConventionsSuite
{
    private const string Canonical = "https://spinepolicy.example.org/fhir";
    private const string PublishedVersion = "2026.01.0";

    // The forms and the pre-population Library have a version of their own (fhir-resources/artifact-versions.json).
    private const string PublishedFormVersion = "2026.01.1";

    /// <summary>A search over published artefacts, and the ids it must find (in any order).</summary>
    public static TheoryData<string, string[]> ArtefactValueLists => new()
    {
        { "Questionnaire?_id=bvna-097,esi-097", ["bvna-097", "esi-097"] },
        { "Library?_id=spinepolicy-prepopulation,no-such-library", ["spinepolicy-prepopulation"] },
        { "ValueSet?_id=spinal-region,vertebral-level", ["spinal-region", "vertebral-level"] },
        { "CodeSystem?_id=policy-097-criteria,vertebral-level", ["policy-097-criteria", "vertebral-level"] },
        { $"Questionnaire?url={Canonical}/Questionnaire/esi-097,{Canonical}/Questionnaire/facet-097", ["esi-097", "facet-097"] },
        { $"Library?url={Canonical}/Library/spinepolicy-prepopulation,{Canonical}/Library/none", ["spinepolicy-prepopulation"] },
        { $"ValueSet?url={Canonical}/ValueSet/lumbar-spine-surgery,{Canonical}/ValueSet/spinal-region", ["lumbar-spine-surgery", "spinal-region"] },
        { $"CodeSystem?url={Canonical}/CodeSystem/spinal-region,{Canonical}/CodeSystem/vertebral-level", ["spinal-region", "vertebral-level"] },
        { "Questionnaire?name=Bvna,Facet", ["bvna-097", "bvna-097-adaptive", "facet-097", "facet-097-adaptive"] },
        { "ValueSet?name=lumbar,vertebral", ["lumbar-spine-surgery", "vertebral-level"] },
        { "CodeSystem?name=policy,spinal", ["policy-097-criteria", "spinal-region"] },
        { "Library?name=nothing,SpinePolicy", ["spinepolicy-prepopulation"] },
        { "Questionnaire?_id=bvna-097,esi-097&status=retired,active", ["bvna-097", "esi-097"] },
        { $"Questionnaire?_id=bvna-097,esi-097&version=1999.01.0,{PublishedFormVersion}", ["bvna-097", "esi-097"] },

        // A canonical as a CRD card gives it: url|version, alone or in a list.
        { $"Questionnaire?url={Canonical}/Questionnaire/bvna-097|{PublishedFormVersion}", ["bvna-097"] },
        { $"Questionnaire?url={Canonical}/Questionnaire/bvna-097|1999.01.0", [] },
        { $"Questionnaire?url={Canonical}/Questionnaire/bvna-097|1999.01.0,{Canonical}/Questionnaire/esi-097|{PublishedFormVersion}", ["esi-097"] },
        { $"Library?url={Canonical}/Library/spinepolicy-prepopulation|{PublishedFormVersion}", ["spinepolicy-prepopulation"] },
        { $"ValueSet?url={Canonical}/ValueSet/vertebral-level|{PublishedVersion}", ["vertebral-level"] },
        { $"ValueSet?url={Canonical}/ValueSet/vertebral-level|1999.01.0", [] },
        { $"CodeSystem?url={Canonical}/CodeSystem/vertebral-level|{PublishedVersion}", ["vertebral-level"] },
    };

    [Theory]
    [MemberData(nameof(ArtefactValueLists))]
    public async Task Every_ArtefactSearch_ValueListsAndCanonicalsMatchAnyValue(string relative, string[] expected)
    {
        using var client = Client();
        var (path, query) = (relative.Split('?')[0], relative.Split('?')[1]);
        var escaped = string.Join('&', query.Split('&').Select(p => p.Split('=', 2)).Select(p => $"{p[0]}={Uri.EscapeDataString(p[1])}"));

        using var response = await client.GetAsync(FhirHttp.Fhir($"{path}?{escaped}"));

        Assert.Equal(expected.Order(), (await MatchIdsAsync(response)).Order());
    }

    [Theory]
    [InlineData("Patient")]
    [InlineData("Coverage")]
    [InlineData("Claim")]
    [InlineData("ClaimResponse")]
    [InlineData("QuestionnaireResponse")]
    [InlineData("Consent")]
    public async Task Every_StoredSearch_IdListMatchesAnyId(string type)
    {
        using var search = await ArrangeSearchAsync(type);

        using var response = await search.Client.GetAsync(FhirHttp.Fhir(search.With($"_id={search.Ids[0]},{search.Ids[2]},{FhirData.Unique("none")}")));

        Assert.Equal(new[] { search.Ids[0], search.Ids[2] }.Order(), (await MatchIdsAsync(response)).Order());
    }

    [Theory]
    [InlineData("Coverage")]
    [InlineData("Claim")]
    [InlineData("ClaimResponse")]
    [InlineData("QuestionnaireResponse")]
    [InlineData("Consent")]
    public async Task Every_StoredSearch_PatientListMatchesAnyPatient(string type)
    {
        using var first = await ArrangeSearchAsync(type);
        using var second = await ArrangeSearchAsync(type);
        var patients = $"{first.Parameters[0].Value},Patient/{second.Parameters[0].Value},{FhirData.Unique("nobody")}";

        using var response = await first.Client.GetAsync(FhirHttp.Fhir($"{type}?patient={Uri.EscapeDataString(patients)}"));

        Assert.Equal(first.Ids.Concat(second.Ids).Order(), (await MatchIdsAsync(response)).Order());
    }

    /// <summary>Each stored type with identifiers, and the system its arranged resources use.</summary>
    public static TheoryData<string, string> IdentifierSystems => new()
    {
        { "Patient", FhirData.MemberIdSystem },
        { "Coverage", FhirData.MemberIdSystem },
        { "Claim", ClaimSystem },
        { "ClaimResponse", "https://spinepolicy.example.org/fhir/sid/claim-response" },
        { "QuestionnaireResponse", ClaimSystem },
        { "Consent", ClaimSystem },
    };

    [Theory]
    [MemberData(nameof(IdentifierSystems))]
    public async Task Every_StoredSearch_IdentifierSystemOnlyMatchesThatSystem(string type, string system)
    {
        using var search = await ArrangeSearchAsync(type);
        var ids = $"_id={string.Join(',', search.Ids)}";

        using var same = await search.Client.GetAsync(FhirHttp.Fhir(search.With($"{ids}&identifier={Uri.EscapeDataString(system + "|")}")));
        using var other = await search.Client.GetAsync(FhirHttp.Fhir(search.With($"{ids}&identifier={Uri.EscapeDataString("https://elsewhere.example/ids|")}")));
        using var either = await search.Client.GetAsync(FhirHttp.Fhir(search.With($"{ids}&identifier={Uri.EscapeDataString($"https://elsewhere.example/ids|,{system}|")}")));

        Assert.Equal(search.Ids.Order(), (await MatchIdsAsync(same)).Order());
        Assert.Empty(await MatchIdsAsync(other));
        Assert.Equal(search.Ids.Order(), (await MatchIdsAsync(either)).Order());
    }

    [Fact]
    public async Task Every_PriorAuthorizationSearch_PatientListMatchesAnyMatchedMember()
    {
        using var payer = FhirHttp.Partner(App, FhirData.Unique("payer"), "system/Patient.read", "system/ExplanationOfBenefit.read");
        var first = await PriorAuthorizationsAsync(payer);
        var second = await PriorAuthorizationsAsync(payer);
        var patients = $"{first.Parameters[0].Value},{second.Parameters[0].Value}";

        using var response = await payer.GetAsync(FhirHttp.Fhir($"ExplanationOfBenefit?use=preauthorization&patient={Uri.EscapeDataString(patients)}"));

        Assert.Equal(first.Ids.Concat(second.Ids).Order(), (await MatchIdsAsync(response)).Order());
    }
}
