using Hl7.Fhir.Model;
using SpinePolicy.Fhir.Security;

namespace SpinePolicy.Storage.Indexing;

/// <summary>
/// Reads the search columns out of a resource. Both providers index through this one class, so a
/// search on SQLite and on PostgreSQL finds the same resources.
/// </summary>
public static class SearchColumnExtractor
{
    public static SearchColumns Extract(Resource resource) => new(
        PatientIdOf(resource),
        StatusOf(resource),
        CreatedOf(resource),
        IdentifiersOf(resource),
        OutcomeOf(resource));

    /// <summary>The patient a resource is about, as a logical id (the "patient" search parameter).</summary>
    public static string? PatientIdOf(Resource resource) => resource switch
    {
        Patient patient => patient.Id,
        Claim claim => PatientIdFrom(claim.Patient),
        ClaimResponse response => PatientIdFrom(response.Patient),
        QuestionnaireResponse answers => PatientIdFrom(answers.Subject),
        Coverage coverage => PatientIdFrom(coverage.Beneficiary),
        ExplanationOfBenefit eob => PatientIdFrom(eob.Patient),
        Consent consent => PatientIdFrom(consent.Patient),
        AuditEvent audit => audit.Entity
            .Select(entity => PatientIdFrom(entity.What))
            .FirstOrDefault(id => id is not null),
        _ => null,
    };

    /// <summary>
    /// The logical id in a Patient reference, relative ("Patient/1"), absolute
    /// ("https://ehr/fhir/Patient/1") or versioned ("Patient/1/_history/2"); null for any other
    /// type or for contained and identifier-only references.
    /// </summary>
    public static string? PatientIdFrom(ResourceReference? reference) => PatientIdFrom(reference?.Reference);

    /// <inheritdoc cref="PatientIdFrom(ResourceReference?)"/>
    public static string? PatientIdFrom(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.StartsWith('#'))
        {
            return null;
        }

        var segments = text.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = segments.Length - 2; i >= 0; i--)
        {
            if (segments[i] == "Patient")
            {
                return segments[i + 1];
            }
        }

        return null;
    }

    private static string? StatusOf(Resource resource)
    {
        return resource.TryGetValue("status", out var status) && status is PrimitiveType { JsonValue: not null } primitive
            ? primitive.ToString()
            : null;
    }

    /// <summary>
    /// ClaimResponse.outcome and ExplanationOfBenefit.outcome (queued | complete | error | partial):
    /// a PAS ClaimResponse is "partial" while any item waits for a reviewer, so this column is what
    /// lists the pended requests without reading every response.
    /// </summary>
    private static string? OutcomeOf(Resource resource) => resource switch
    {
        ClaimResponse { OutcomeElement.JsonValue: string outcome } => outcome,
        ExplanationOfBenefit { OutcomeElement.JsonValue: string outcome } => outcome,
        _ => null,
    };

    /// <summary>Claim, ClaimResponse and ExplanationOfBenefit.created; QuestionnaireResponse.authored.</summary>
    private static DateTimeOffset? CreatedOf(Resource resource)
    {
        var element = resource switch
        {
            Claim claim => claim.CreatedElement,
            ClaimResponse response => response.CreatedElement,
            ExplanationOfBenefit eob => eob.CreatedElement,
            QuestionnaireResponse answers => answers.AuthoredElement,
            _ => null,
        };
        return element is not null && element.TryToDateTimeOffset(TimeSpan.Zero, out var created) ? created : null;
    }

    /// <summary>
    /// Every identifier, whether the type holds one (QuestionnaireResponse) or a list, and the owning
    /// organization (<see cref="OwnerTag"/>) as a token under the tag's own system, so that a search
    /// can be limited to one organization's records without a column of its own.
    /// </summary>
    private static List<SearchIdentifier> IdentifiersOf(Resource resource)
    {
        var owner = OwnerTag.Of(resource) is { Length: > 0 } key ? new SearchIdentifier(OwnerTag.System, key) : null;
        if (!resource.TryGetValue("identifier", out var value))
        {
            return owner is null ? [] : [owner];
        }

        IEnumerable<Identifier> identifiers = value switch
        {
            Identifier single => [single],
            IEnumerable<Identifier> many => many,
            _ => [],
        };
        return identifiers
            // A client's identifier in the owner system would file its resource under someone else.
            .Where(identifier => !string.IsNullOrEmpty(identifier.Value) && identifier.System != OwnerTag.System)
            .Select(identifier => new SearchIdentifier(identifier.System, identifier.Value!))
            .Append(owner)
            .OfType<SearchIdentifier>()
            .Distinct()
            .ToList();
    }
}
