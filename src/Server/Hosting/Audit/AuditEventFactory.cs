using System.Text;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir.CoverageInformation;
using SpinePolicy.Storage.Auditing;

namespace SpinePolicy.Server.Hosting.Audit;

/// <summary>
/// Builds the FHIR AuditEvent for one audited request: who (the client and its issuer, and the
/// network address), what (interaction, resource type/id, operation, query), when, which members
/// (patient entities), which decisions (ClaimResponses, CRD assertion ids) and the outcome.
/// </summary>
internal static class AuditEventFactory
{
    public const string OperationSystem = "https://spinepolicy.example.org/fhir/CodeSystem/audit-operation";
    public const string AnonymousClientSystem = "https://spinepolicy.example.org/fhir/NamingSystem/unauthenticated-caller";

    public static AuditEvent Create(AuditedInteraction interaction, CallerIdentity caller, AuditSubjects subjects, string? queryString, int statusCode, DateTimeOffset recorded)
    {
        var audit = new AuditEvent
        {
            Type = interaction.Interaction == AuditedInteraction.Hook
                ? new Coding("http://dicom.nema.org/resources/ontology/DCM", "110112", "Query")
                : new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"),
            Action = interaction.Action switch
            {
                "C" => AuditEvent.AuditEventAction.C,
                "R" => AuditEvent.AuditEventAction.R,
                "U" => AuditEvent.AuditEventAction.U,
                "D" => AuditEvent.AuditEventAction.D,
                _ => AuditEvent.AuditEventAction.E,
            },
            Recorded = recorded,
            Outcome = statusCode switch
            {
                < 400 => AuditEvent.AuditEventOutcome.N0,
                < 500 => AuditEvent.AuditEventOutcome.N4,
                _ => AuditEvent.AuditEventOutcome.N8,
            },
            OutcomeDesc = statusCode == ClientClosedRequest.StatusCode ? ClientClosedRequest.Description : $"HTTP {statusCode}",
            Agent = [Agent(caller)],
            Source = new AuditEvent.SourceComponent
            {
                Observer = new ResourceReference { Display = "SpinePolicy server" },
                Type = [new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server")],
            },
        };

        if (interaction.Interaction != AuditedInteraction.Hook)
        {
            audit.Subtype.Add(new Coding("http://hl7.org/fhir/restful-interaction", KnownInteraction(interaction.Interaction)));
        }

        if (interaction.Operation is { } operation)
        {
            audit.Subtype.Add(new Coding(OperationSystem, operation));
        }

        audit.Entity.AddRange(Entities(interaction, subjects, queryString));
        return audit;
    }

    private static AuditEvent.AgentComponent Agent(CallerIdentity caller)
    {
        var agent = new AuditEvent.AgentComponent
        {
            Requestor = true,
            Type = new CodeableConcept("http://dicom.nema.org/resources/ontology/DCM", "110153", "Source Role ID"),
            Who = caller.ClientId is { } clientId
                ? new ResourceReference { Identifier = new Identifier(AuditSubjects.Storable(caller.Issuer ?? "urn:unknown-issuer"), AuditSubjects.Storable(clientId)) }
                : new ResourceReference { Identifier = new Identifier(AnonymousClientSystem, "anonymous") },
        };
        if (caller.RemoteAddress is { } address)
        {
            agent.Network = new AuditEvent.NetworkComponent { Address = address, Type = AuditEvent.AuditEventAgentNetworkType.N2 };
        }

        return agent;
    }

    private static IEnumerable<AuditEvent.EntityComponent> Entities(AuditedInteraction interaction, AuditSubjects subjects, string? queryString)
    {
        if (interaction.ResourceType is { } type)
        {
            var target = new AuditEvent.EntityComponent
            {
                Type = new Coding("http://hl7.org/fhir/resource-types", type),
                Role = new Coding("http://terminology.hl7.org/CodeSystem/object-role", interaction.IsRead && interaction.ResourceId is null ? "24" : "4", interaction.IsRead && interaction.ResourceId is null ? "Query" : "Domain Resource"),
            };
            if (interaction.ResourceId is { } id)
            {
                target.What = new ResourceReference($"{type}/{id}");
            }
            else if (!string.IsNullOrEmpty(queryString))
            {
                target.Query = Encoding.UTF8.GetBytes(queryString);
            }

            yield return target;
        }
        else if (!string.IsNullOrEmpty(queryString))
        {
            // A system-level operation (DTR's $expand, $questionnaire-package, $next-question served
            // at /fhir/$name as at their types) names no type, but what it asked is kept all the same.
            yield return new AuditEvent.EntityComponent
            {
                Role = new Coding("http://terminology.hl7.org/CodeSystem/object-role", "24", "Query"),
                Query = Encoding.UTF8.GetBytes(queryString),
            };
        }

        foreach (var patient in subjects.PatientIds)
        {
            yield return new AuditEvent.EntityComponent
            {
                What = new ResourceReference($"Patient/{patient}"),
                Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"),
                Role = new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"),
            };
        }

        foreach (var decision in subjects.DecisionReferences)
        {
            yield return new AuditEvent.EntityComponent
            {
                What = new ResourceReference(decision),
                Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"),
                Role = new Coding("http://terminology.hl7.org/CodeSystem/object-role", "4", "Domain Resource"),
            };
        }

        foreach (var assertion in subjects.CoverageAssertionIds)
        {
            yield return new AuditEvent.EntityComponent
            {
                What = new ResourceReference { Identifier = new Identifier(CoverageAssertionIds.System, assertion) },
                Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"),
                Role = new Coding("http://terminology.hl7.org/CodeSystem/object-role", "4", "Domain Resource"),
            };
        }
    }

    /// <summary>Only codes of the restful-interaction value set; anything else is an operation.</summary>
    private static string KnownInteraction(string interaction) => interaction switch
    {
        "read" or "vread" or "update" or "delete" or "history-instance" or "create" or "search-type" or "batch" or "operation" => interaction,
        _ => "operation",
    };
}
