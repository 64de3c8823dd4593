using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.Fhir.Http;
using Interaction = Hl7.Fhir.Model.CapabilityStatement.TypeRestfulInteraction;

namespace SpinePolicy.FhirRest.Rest;

/// <summary>
/// What this slice serves on /fhir, as it tells the CapabilityStatement: the stored types of the
/// generic routes (with their search parameters), the payer-to-payer EOBs derived on request,
/// the CRD assertions as Basic, and $member-match. The generic routes refuse whatever a type here
/// does not list, so metadata cannot drift from behaviour. Other slices contribute their own types
/// and operations where they map their routes.
/// </summary>
internal static class FhirRestResourceTypes
{
    public const string PdexPriorAuthorizationProfile = "http://hl7.org/fhir/us/davinci-pdex/StructureDefinition/pdex-priorauthorization";

    public static readonly ServedOperation MemberMatch = new("member-match",
        "http://hl7.org/fhir/us/davinci-hrex/OperationDefinition/member-match", "HRex payer-to-payer member match; records the consent grant.");

    private static readonly Interaction[] ReadInteractions = [Interaction.Read, Interaction.Vread, Interaction.SearchType];

    private static readonly Interaction[] ReadWriteInteractions = [.. ReadInteractions, Interaction.Create, Interaction.Update];

    public static IServiceCollection AddFhirRestResourceTypes(this IServiceCollection services)
    {
        // Decisions and what they were decided on are written only by the payer's decision paths
        // ($submit, $review, $next-question, $member-match, the server itself): the generic routes
        // read them, and refuse (405) every create and update, whoever asks and whatever its scopes.
        services.AddFhirResourceType(Stored("Claim", [Patient("Claim"), Status("Claim"), Created("Claim", "created"), Identifier("Claim")],
            ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-claim"],
            "Written only by Claim/$submit (an update or cancellation is a new $submit whose Claim.related names the earlier claim); a provider reads its own organization's."));
        services.AddFhirResourceType(Stored("ClaimResponse", [Patient("ClaimResponse"), Status("ClaimResponse"), Created("ClaimResponse", "created"), Identifier("ClaimResponse")],
            ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-claimresponse"],
            "Written only by Claim/$submit and ClaimResponse/$review (this payer's reviewer application); a provider reads its own organization's."));
        services.AddFhirResourceType(Stored("QuestionnaireResponse", [Patient("QuestionnaireResponse"), Status("QuestionnaireResponse"), Created("QuestionnaireResponse", "authored"), Identifier("QuestionnaireResponse")],
            ["http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/dtr-questionnaireresponse"],
            "Written only by Claim/$submit and Questionnaire/$next-question; a provider reads its own organization's."));
        services.AddFhirResourceType(Stored("Patient", [ServedSearchParameter.Core("identifier", SearchParamType.Token, "Patient-identifier", TokenDocumentation)], [],
            "The member roster, written by this payer's back office only; another payer reads only the members it matched ($member-match) with consent, by id, and never searches.",
            writable: true) with
        {
            Operations = [MemberMatch],
        });
        services.AddFhirResourceType(Stored("Coverage", [Patient("Coverage"), Status("Coverage"), Identifier("Coverage")], [],
            "Members' coverages, written and read by this payer's back office only.", writable: true));
        services.AddFhirResourceType(Stored("Consent",
            [
                ServedSearchParameter.Core("patient", SearchParamType.Reference, "clinical-patient", ReferenceDocumentation), Status("Consent"),
                ServedSearchParameter.Core("identifier", SearchParamType.Token, "clinical-identifier", TokenDocumentation),
            ],
            ["http://hl7.org/fhir/us/davinci-hrex/StructureDefinition/hrex-consent"],
            "Payer-to-payer consent grants, written only by Patient/$member-match; read by this payer's staff."));
        services.AddFhirResourceType(new ServedResourceType("ExplanationOfBenefit", ServedRoutes.Own, [Interaction.SearchType],
            [
                ServedSearchParameter.Core("patient", SearchParamType.Reference, "ExplanationOfBenefit-patient",
                    "Required: members this client matched with consent ($member-match); Patient/{id}, comma-separated for several."),
                new("use", SearchParamType.Token, null, "Required: preauthorization (the only use served)."),
            ],
            [], [PdexPriorAuthorizationProfile],
            "PDex prior authorizations derived from ClaimResponses (payer-to-payer, CMS-0057-F): active ones and those changed in the last year; denied ones excluded. _count pages them."));
        services.AddFhirResourceType(new ServedResourceType("Basic", ServedRoutes.Own, [Interaction.Read, Interaction.SearchType],
            [
                ServedSearchParameter.Core("code", SearchParamType.Token, "Basic-code", "cds-hooks-feedback, the only kind searched (the default); any other code is refused."),
                new(Assertions.CoverageAssertionEndpoints.AssertionParameter, SearchParamType.Token, null, "Feedback on the cards that spoke about this coverage-assertion-id (one per search)."),
                ServedSearchParameter.Core("created", SearchParamType.Date, "Basic-created", "When the feedback was received; prefixes eq, ge, gt, le, lt; repeat for a range."),
            ],
            [], [],
            "CRD coverage assertions, read by coverage-assertion-id (Basic/{id}); code crd-coverage-assertion, facts in extension https://spinepolicy.example.org/fhir/StructureDefinition/coverage-assertion. "
            + "CDS Hooks feedback on CRD cards (POST /cds-services/{id}/feedback), searched and read by this payer's staff only: code cds-hooks-feedback, facts in extension https://spinepolicy.example.org/fhir/StructureDefinition/cds-hooks-feedback; _sort=_lastUpdated or -_lastUpdated (received; default newest first), _count with next links, _total=accurate and _summary=count."));
        return services;
    }

    private const string TokenDocumentation = "system|value, value, |value or system|; comma-separated values match any.";

    private const string ReferenceDocumentation = "Patient/{id} or {id}; comma-separated values match any.";

    private static ServedResourceType Stored(string type, ServedSearchParameter[] specific, string[] profiles, string who, bool writable = false) =>
        new(type, ServedRoutes.Generic, writable ? ReadWriteInteractions : ReadInteractions,
            [ServedSearchParameter.Id, ServedSearchParameter.LastUpdated, .. specific],
            [], profiles,
            $"Stored {type} resources (versioned; ETag W/\"n\"). {who} _sort=_lastUpdated or -_lastUpdated (default); _count up to {SearchRequest.MaxCount} with next links; _total=accurate counts all matches; also POST {type}/_search.");

    private static ServedSearchParameter Patient(string type) =>
        ServedSearchParameter.Core("patient", SearchParamType.Reference, type + "-patient", ReferenceDocumentation);

    private static ServedSearchParameter Status(string type) =>
        ServedSearchParameter.Core("status", SearchParamType.Token, type + "-status", "A status code; comma-separated codes match any.");

    /// <summary>The indexed creation date: Claim/ClaimResponse "created", QuestionnaireResponse "authored".</summary>
    private static ServedSearchParameter Created(string type, string name) =>
        ServedSearchParameter.Core(name, SearchParamType.Date, type + "-" + name, $"On {type}.{name}; prefixes eq, ge, gt, le, lt; repeat for a range.");

    private static ServedSearchParameter Identifier(string type) =>
        ServedSearchParameter.Core("identifier", SearchParamType.Token, type + "-identifier", TokenDocumentation);
}
