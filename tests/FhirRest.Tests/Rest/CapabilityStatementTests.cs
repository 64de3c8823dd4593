using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using SpinePolicy.TestKit.Validation;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.Rest;

/// <summary>GET /fhir/metadata tells the truth about what the server serves.</summary>
public sealed class CapabilityStatementTests(SqliteFhirApi api) : IClassFixture<SqliteFhirApi>
{
    private async Task<CapabilityStatement> MetadataAsync()
    {
        using var client = api.App.CreateClient();
        using var response = await client.GetAsync(FhirHttp.Fhir("metadata"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        return await FhirHttp.ReadAsync<CapabilityStatement>(response);
    }

    [Fact]
    public async Task Metadata_Instantiates_CrdDtrAndPasServerStatements()
    {
        var statement = await MetadataAsync();

        Assert.Equal(CapabilityStatementKind.Instance, statement.Kind);
        Assert.Equal(FHIRVersion.N4_0_1, statement.FhirVersion);
        Assert.Contains("http://hl7.org/fhir/us/davinci-crd/CapabilityStatement/crd-server", statement.Instantiates);
        Assert.Contains("http://hl7.org/fhir/us/davinci-dtr/CapabilityStatement/dtr-payer-service", statement.Instantiates);
        Assert.Contains("http://hl7.org/fhir/us/davinci-pas/CapabilityStatement/IntermediaryCapabilities", statement.Instantiates);
        foreach (var canonical in statement.Instantiates)
        {
            Assert.NotNull(FhirProfileValidation.Shared.TryResolveProfile(canonical!));
        }
    }

    /// <summary>
    /// Issue 10: decisions, what they were decided on, CRD assertions and the audit trail are written
    /// only by the payer's own paths ($submit, $review, the server), and the statement says so: no
    /// generic create, update, patch or delete is offered on them.
    /// </summary>
    [Fact]
    public async Task Metadata_DecisionRecordsAssertionsAndAudit_OfferNoGenericWrite()
    {
        var rest = (await MetadataAsync()).Rest.Single();
        CapabilityStatement.TypeRestfulInteraction[] readOnly =
        [
            CapabilityStatement.TypeRestfulInteraction.Read, CapabilityStatement.TypeRestfulInteraction.Vread,
            CapabilityStatement.TypeRestfulInteraction.SearchType,
        ];

        foreach (var type in new[] { "Claim", "ClaimResponse", "QuestionnaireResponse", "Basic" })
        {
            var served = Assert.Single(rest.Resource, r => r.Type == type);
            Assert.All(served.Interaction, i => Assert.True(readOnly.Contains(i.Code!.Value), $"{type} offers {i.Code}"));
        }

        // The audit trail is not served at all; should it ever be, only for reading.
        Assert.All(rest.Resource.Where(r => r.Type == "AuditEvent").SelectMany(r => r.Interaction), i => Assert.Contains(i.Code!.Value, readOnly));
    }

    [Fact]
    public async Task Metadata_ListsEveryServedTypeSearchParameterAndOperation()
    {
        var rest = (await MetadataAsync()).Rest.Single();

        foreach (var type in new[] { "Basic", "Claim", "ClaimResponse", "QuestionnaireResponse", "Questionnaire", "Library", "ValueSet", "Patient", "Coverage", "Consent", "ExplanationOfBenefit" })
        {
            Assert.Contains(rest.Resource, r => r.Type == type);
        }

        var claimResponse = rest.Resource.Single(r => r.Type == "ClaimResponse");
        Assert.Equal(["_id", "_lastUpdated", "patient", "status", "created", "identifier"], claimResponse.SearchParam.Select(p => p.Name));
        Assert.Contains(claimResponse.Interaction, i => i.Code == CapabilityStatement.TypeRestfulInteraction.Vread);

        var operations = rest.Resource.SelectMany(r => r.Operation.Select(o => $"{r.Type}/${o.Name}")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            ["Claim/$inquire", "Claim/$submit", "ClaimResponse/$review", "Patient/$member-match", "Questionnaire/$log-questionnaire-errors",
                "Questionnaire/$next-question", "Questionnaire/$questionnaire-package", "Subscription/$status", "ValueSet/$expand"],
            operations);
        Assert.Equal("http://hl7.org/fhir/us/davinci-hrex/OperationDefinition/member-match",
            rest.Resource.Single(r => r.Type == "Patient").Operation.Single().Definition);
    }

    [Fact]
    public async Task Metadata_EveryListedSearchParameter_IsAcceptedBySearch()
    {
        var rest = (await MetadataAsync()).Rest.Single();
        using var client = FhirHttp.Admin(api.App);
        var samples = new Dictionary<string, string>
        {
            ["_id"] = "x1", ["_lastUpdated"] = "ge2020-01-01", ["patient"] = "Patient/p1", ["status"] = "active",
            ["created"] = "lt2030-01-01", ["authored"] = "2026", ["identifier"] = "sys|v",
            ["url"] = "https://spinepolicy.example.org/fhir/Questionnaire/none", ["version"] = "1.0.0", ["name"] = "Bvna",
            ["code"] = "cds-hooks-feedback", ["coverage-assertion-id"] = "a1",
        };

        // Whichever slice serves the type: a parameter listed but refused would be a lie. (The
        // payer-to-payer EOB search needs a matched member; its own tests cover its parameters.)
        foreach (var served in rest.Resource.Where(r => r.Type != "ExplanationOfBenefit" && r.Interaction.Any(i => i.Code == CapabilityStatement.TypeRestfulInteraction.SearchType)))
        {
            foreach (var parameter in served.SearchParam)
            {
                var path = $"{served.Type}?{parameter.Name}={Uri.EscapeDataString(samples[parameter.Name!])}";
                using var response = await client.GetAsync(FhirHttp.Fhir(path));
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            }
        }
    }

    /// <summary>
    /// PAS's IntermediaryCapabilities and the Subscriptions backport advertise the topics a client may
    /// subscribe to on Subscription (extension capabilitystatement-subscriptiontopic-canonical); and a
    /// conditional create is promised only where If-None-Exist is honoured (the generic store routes,
    /// not the PAS slice's own Subscription create).
    /// </summary>
    [Fact]
    public async Task Metadata_Subscription_NamesThePasTopicAndPromisesNoConditionalCreate()
    {
        var rest = (await MetadataAsync()).Rest.Single();

        var subscription = rest.Resource.Single(r => r.Type == "Subscription");
        var topic = Assert.Single(subscription.Extension, e => e.Url == "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/capabilitystatement-subscriptiontopic-canonical");
        Assert.Equal("http://hl7.org/fhir/us/davinci-pas/SubscriptionTopic/PASSubscriptionTopic", Assert.IsType<Canonical>(topic.Value).Value);
        Assert.NotEqual(true, subscription.ConditionalCreate);
        Assert.True(rest.Resource.Single(r => r.Type == "Patient").ConditionalCreate);
        FhirProfileValidation.Shared.AssertConforms(await MetadataAsync(), "http://hl7.org/fhir/StructureDefinition/CapabilityStatement");
    }

    [Fact]
    public async Task Metadata_ConformsToBaseCapabilityStatement()
    {
        var statement = await MetadataAsync();

        FhirProfileValidation.Shared.AssertConforms(statement, "http://hl7.org/fhir/StructureDefinition/CapabilityStatement");
    }

    [Fact]
    public async Task Metadata_FormatXml_ReturnsXmlCapabilityStatement()
    {
        using var client = api.App.CreateClient();

        using var response = await client.GetAsync(FhirHttp.Fhir("metadata?_format=xml"));

        Assert.Equal("application/fhir+xml", response.Content.Headers.ContentType?.MediaType);
        var statement = Hl7.Fhir.Serialization.PocoDeserializationExtensions.DeserializeResource(new Hl7.Fhir.Serialization.FhirXmlDeserializer(), await response.Content.ReadAsStringAsync());
        Assert.IsType<CapabilityStatement>(statement);
    }
}
