using Hl7.Fhir.Model;
using Interaction = Hl7.Fhir.Model.CapabilityStatement.TypeRestfulInteraction;

namespace SpinePolicy.FhirRest.Rest;

/// <summary>
/// THE list of what /fhir serves: every resource type, search parameter and operation, whichever
/// slice implements it. The CapabilityStatement is built from it and the generic routes refuse
/// whatever it does not name, so metadata cannot drift from behaviour. A slice that adds a FHIR
/// route adds it here.
/// </summary>
public static class FhirRestCatalog
{
    private const string Core = "http://hl7.org/fhir/SearchParameter/";

    public static readonly ServedOperation QuestionnairePackage = new("questionnaire-package",
        "http://hl7.org/fhir/us/davinci-dtr/OperationDefinition/questionnaire-package", "DTR: the questionnaire package for an order (DTR slice).");

    public static readonly ServedOperation NextQuestion = new("next-question",
        "http://hl7.org/fhir/uv/sdc/OperationDefinition/Questionnaire-next-question", "DTR adaptive questionnaire (DTR slice).");

    public static readonly ServedOperation Expand = new("expand",
        "http://hl7.org/fhir/OperationDefinition/ValueSet-expand", "Expansion of the value sets the questionnaires use (DTR slice).");

    public static readonly ServedOperation Submit = new("submit",
        "http://hl7.org/fhir/us/davinci-pas/OperationDefinition/Claim-submit", "PAS prior-authorization request (PAS slice).");

    public static readonly ServedOperation Inquire = new("inquire",
        "http://hl7.org/fhir/us/davinci-pas/OperationDefinition/Claim-inquiry", "PAS prior-authorization inquiry (PAS slice).");

    public static readonly ServedOperation LogQuestionnaireErrors = new("log-questionnaire-errors",
        "http://hl7.org/fhir/us/davinci-dtr/OperationDefinition/log-questionnaire-errors", "DTR clients report problems with our questionnaires (DTR slice).");

    public static readonly ServedOperation Review = new("review",
        "https://spinepolicy.example.org/fhir/OperationDefinition/ClaimResponse-review", "A utilization reviewer decides a pended request: POST ClaimResponse/{id}/$review (PAS slice; reviewer role required).");

    public static readonly ServedOperation MemberMatch = new("member-match",
        "http://hl7.org/fhir/us/davinci-hrex/OperationDefinition/member-match", "HRex payer-to-payer member match; records the consent grant.");

    /// <summary>The server CapabilityStatements of the Da Vinci guides this server implements.</summary>
    public static readonly IReadOnlyList<string> Instantiates =
    [
        "http://hl7.org/fhir/us/davinci-crd/CapabilityStatement/crd-server",
        "http://hl7.org/fhir/us/davinci-dtr/CapabilityStatement/dtr-payer-service",
        "http://hl7.org/fhir/us/davinci-pas/CapabilityStatement/IntermediaryCapabilities",
    ];

    public const string PdexPriorAuthorizationProfile = "http://hl7.org/fhir/us/davinci-pdex/StructureDefinition/pdex-priorauthorization";

    private static readonly Interaction[] StoredInteractions =
        [Interaction.Read, Interaction.Vread, Interaction.SearchType, Interaction.Create, Interaction.Update];

    public static IReadOnlyList<ServedResourceType> Types { get; } =
    [
        Stored("Claim", [Patient("Claim"), Status("Claim"), Created("Claim", "created"), Identifier("Claim")], [Submit, Inquire],
            ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-claim"]),
        Stored("ClaimResponse", [Patient("ClaimResponse"), Status("ClaimResponse"), Created("ClaimResponse", "created"), Identifier("ClaimResponse")], [Review],
            ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-claimresponse"]),
        Stored("QuestionnaireResponse", [Patient("QuestionnaireResponse"), Status("QuestionnaireResponse"), Created("QuestionnaireResponse", "authored"), Identifier("QuestionnaireResponse")], [LogQuestionnaireErrors],
            ["http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/dtr-questionnaireresponse"]),
        Stored("Patient", [new("identifier", SearchParamType.Token, Core + "Patient-identifier", "system|value or value")], [MemberMatch], []),
        Stored("Coverage", [Patient("Coverage"), Status("Coverage"), Identifier("Coverage")], [], []),
        Stored("Consent", [new("patient", SearchParamType.Reference, Core + "clinical-patient", "Patient/{id} or {id}"), Status("Consent"),
            new("identifier", SearchParamType.Token, Core + "clinical-identifier", "system|value or value")], [], ["http://hl7.org/fhir/us/davinci-hrex/StructureDefinition/hrex-consent"]),
        new("ExplanationOfBenefit", ResourceOwner.Derived, [Interaction.SearchType],
            [
                new("patient", SearchParamType.Reference, Core + "ExplanationOfBenefit-patient", "Required: a member this client matched with consent ($member-match)."),
                new("use", SearchParamType.Token, null, "Required: preauthorization (the only use served)."),
            ],
            [], [PdexPriorAuthorizationProfile],
            "PDex prior authorizations derived from ClaimResponses (payer-to-payer, CMS-0057-F): active ones and those changed in the last year; denied ones excluded."),
        new("Basic", ResourceOwner.Derived, [Interaction.Read], [], [], [],
            "CRD coverage assertions, read by coverage-assertion-id (Basic/{id}); code crd-coverage-assertion, facts in extension https://spinepolicy.example.org/fhir/StructureDefinition/coverage-assertion."),
        Published("Questionnaire", [QuestionnairePackage, NextQuestion], "The published questionnaires (DTR slice's catalog)."),
        Published("Library", [], "The CQL libraries the questionnaires use (DTR slice's catalog)."),
        Published("ValueSet", [Expand], "The value sets the questionnaires use (DTR slice's catalog); $expand at type and instance level."),
        Published("CodeSystem", [], "The code systems we publish, e.g. the policy 097 criteria (DTR slice's catalog)."),
        new("Subscription", ResourceOwner.PasSlice, [Interaction.Create, Interaction.Read], [], [],
            ["http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription"],
            "PAS pended-decision notifications (R4 Subscriptions backport; PAS slice)."),
    ];

    /// <summary>The served type of this name, or null when /fhir does not serve it.</summary>
    public static ServedResourceType? Find(string type) => Types.FirstOrDefault(t => t.Type == type);

    private static ServedResourceType Stored(string type, ServedSearchParameter[] specific, ServedOperation[] operations, string[] profiles) =>
        new(type, ResourceOwner.Store, StoredInteractions,
            [
                Common("_id", SearchParamType.Token, Core + "Resource-id"),
                Common("_lastUpdated", SearchParamType.Date, Core + "Resource-lastUpdated"),
                .. specific,
            ],
            operations, profiles, $"Stored {type} resources (versioned; ETag W/\"n\"). _sort=_lastUpdated or -_lastUpdated (default); _count up to 1000 with next links; _total=accurate counts all matches.");

    private static ServedResourceType Published(string type, ServedOperation[] operations, string documentation) =>
        new(type, ResourceOwner.DtrCatalog, [Interaction.Read, Interaction.SearchType],
            [
                Common("_id", SearchParamType.Token, Core + "Resource-id"),
                new("url", SearchParamType.Uri, Core + "conformance-url", "The canonical URL."),
                new("version", SearchParamType.Token, Core + "conformance-version", "The business version."),
            ],
            operations, [], documentation);

    private static ServedSearchParameter Common(string name, SearchParamType type, string definition) =>
        new(name, type, definition, name == "_lastUpdated" ? "Prefixes ge, le, gt, lt, eq; repeat for a range." : "Exact match.");

    private static ServedSearchParameter Patient(string type) =>
        new("patient", SearchParamType.Reference, Core + type + "-patient", "Patient/{id} or {id}.");

    private static ServedSearchParameter Status(string type) =>
        new("status", SearchParamType.Token, Core + type + "-status", "One status code.");

    /// <summary>The indexed creation date: Claim/ClaimResponse "created", QuestionnaireResponse "authored".</summary>
    private static ServedSearchParameter Created(string type, string name) =>
        new(name, SearchParamType.Date, Core + type + "-" + name, $"On {type}.{name}; prefixes ge, le, gt, lt, eq; repeat for a range.");

    private static ServedSearchParameter Identifier(string type) =>
        new("identifier", SearchParamType.Token, Core + type + "-identifier", "system|value or value.");
}
