using Hl7.Fhir.Model;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.FhirRest.Rest;

/// <summary>Builds GET /fhir/metadata from what every slice contributed (<see cref="FhirCapabilities"/>).</summary>
internal static class CapabilityStatementFactory
{
    private const string CanonicalBase = "https://spinepolicy.example.org/fhir";

    /// <summary>The Subscriptions backport's extension naming a topic the server offers (PAS's
    /// IntermediaryCapabilities carries it on Subscription with PAS's topic).</summary>
    private const string SubscriptionTopicCanonicalExtension = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/capabilitystatement-subscriptiontopic-canonical";

    public static CapabilityStatement Build(FhirCapabilities capabilities, string baseUrl, bool authenticationEnabled)
    {
        var rest = new CapabilityStatement.RestComponent
        {
            Mode = CapabilityStatement.RestfulCapabilityMode.Server,
            Documentation = "Prior-authorization server for Medical Policy 097 (CRD, DTR, PAS, HRex/PDex payer-to-payer).",
            Security = Security(authenticationEnabled),
            Operation = [.. capabilities.SystemOperations.Select(Operation)],
        };

        foreach (var served in capabilities.Types)
        {
            var resource = new CapabilityStatement.ResourceComponent
            {
                Type = served.Type,
                Documentation = served.Documentation,
                Versioning = served.Supports(CapabilityStatement.TypeRestfulInteraction.Vread)
                    ? CapabilityStatement.ResourceVersionPolicy.Versioned
                    : CapabilityStatement.ResourceVersionPolicy.NoVersion,
                ReadHistory = false,
                UpdateCreate = false,
                // Only the generic store routes honour If-None-Exist; a slice's own create (Subscription)
                // ignores it, so the statement must not promise it there.
                ConditionalCreate = served.Routes == ServedRoutes.Generic && served.Supports(CapabilityStatement.TypeRestfulInteraction.Create),
                ConditionalUpdate = false,
                Interaction = [.. served.Interactions.Select(i => new CapabilityStatement.ResourceInteractionComponent { Code = i })],
                SearchParam = [.. served.SearchParameters.Select(p => new CapabilityStatement.SearchParamComponent
                {
                    Name = p.Name,
                    Definition = p.Definition,
                    Type = p.Type,
                    Documentation = p.Documentation,
                })],
                Operation = [.. served.Operations.Select(Operation)],
            };
            if (served.SupportedProfiles.Count > 0)
            {
                resource.SupportedProfile = [.. served.SupportedProfiles];
            }

            foreach (var topic in served.SubscriptionTopics ?? [])
            {
                resource.Extension.Add(new Extension(SubscriptionTopicCanonicalExtension, new Canonical(topic)));
            }

            rest.Resource.Add(resource);
        }

        return new CapabilityStatement
        {
            Id = "spinepolicy-server",
            Url = CanonicalBase + "/CapabilityStatement/spinepolicy-server",
            Name = "SpinePolicyServer",
            Title = "SpinePolicy prior-authorization server",
            Status = PublicationStatus.Active,
            Experimental = false,
            Date = "2026-11-27",
            Publisher = "SpinePolicy",
            Kind = CapabilityStatementKind.Instance,
            Instantiates = [.. capabilities.Instantiates],
            Software = new CapabilityStatement.SoftwareComponent { Name = "SpinePolicy" },
            Implementation = new CapabilityStatement.ImplementationComponent { Description = "SpinePolicy FHIR API", Url = baseUrl },
            FhirVersion = FHIRVersion.N4_0_1,
            Format = [.. FhirMediaTypes.Advertised],
            Rest = [rest],
        };
    }

    private static CapabilityStatement.OperationComponent Operation(ServedOperation operation) => new()
    {
        Name = operation.Name,
        Definition = operation.Definition,
        Documentation = operation.Documentation,
    };

    private static CapabilityStatement.SecurityComponent Security(bool enabled) => new()
    {
        Cors = false,
        Service = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR")],
        Description = enabled
            ? "Bearer access tokens (SMART Backend Services: RS384/ES384 JWTs from a trusted authorization server) with system scopes per resource type, e.g. system/ClaimResponse.read. The metadata endpoint is open."
            : "Authentication is DISABLED in this deployment (development only).",
    };
}
