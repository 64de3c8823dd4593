using System.Net;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.FhirRest.Assertions;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using SpinePolicy.Storage;
using SpinePolicy.TestKit.Validation;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.Rest;

/// <summary>Stored CRD coverage assertions, read as Basic resources.</summary>
public sealed class CoverageAssertionTests(SqliteFhirApi api) : IClassFixture<SqliteFhirApi>
{
    [Fact]
    public async Task Read_StoredAssertion_ReturnsBasicWithTheDecision()
    {
        var assertionId = FhirData.Unique("ca");
        await api.App.Services.GetRequiredService<ICoverageAssertionStore>().SaveAsync([FhirData.CoverageAssertion(assertionId, "p-77")], CancellationToken.None);
        using var client = api.App.CreateFhirClient("system/Basic.read");

        using var response = await client.GetAsync(FhirHttp.Fhir($"Basic/{assertionId}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var basic = await FhirHttp.ReadAsync<Basic>(response);
        Assert.Equal("Patient/p-77", basic.Subject?.Reference);
        var facts = basic.GetExtension(CoverageAssertionBasic.ExtensionUrl);
        Assert.Equal("auth-needed", facts?.GetExtensionValue<Code>("pa-needed")?.Value);
        Assert.Equal(assertionId, facts?.GetExtensionValue<FhirString>("coverage-assertion-id")?.Value);
        var result = FhirProfileValidation.Shared.Validate(basic, "http://hl7.org/fhir/StructureDefinition/Basic");
        Assert.True(result.Conforms, result.DescribeErrors());
    }

    [Fact]
    public async Task Read_UnknownAssertion_Returns404Outcome()
    {
        using var client = api.App.CreateFhirClient("system/Basic.read");

        using var response = await client.GetAsync(FhirHttp.Fhir("Basic/no-such-assertion"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await FhirHttp.OutcomeAsync(response);
    }

    [Fact]
    public async Task Read_WithoutBasicScope_Returns403()
    {
        using var client = api.App.CreateFhirClient("system/Claim.read");

        using var response = await client.GetAsync(FhirHttp.Fhir("Basic/anything"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
