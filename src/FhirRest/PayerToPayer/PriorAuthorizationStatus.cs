using Hl7.Fhir.Model;

namespace SpinePolicy.FhirRest.PayerToPayer;

/// <summary>
/// Reads a PAS ClaimResponse's decision: the X12 306 review action on each item's adjudication
/// (A1 certified, A2 partly certified, A3 not certified, A4 pended, A6 modified, …).
/// </summary>
internal static class PriorAuthorizationStatus
{
    public const string ReviewActionUrl = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-reviewAction";
    public const string ReviewActionCodeUrl = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-reviewActionCode";
    public const string X12ReviewActionSystem = "https://codesystem.x12.org/005010/306";
    private const string NotCertified = "A3";

    /// <summary>
    /// Denied: every item that carries a review action says "not certified", or the request was
    /// rejected outright (outcome error). CMS-0057-F leaves denied authorizations out of payer-to-payer.
    /// </summary>
    public static bool IsDenied(ClaimResponse response)
    {
        if (response.Outcome == ClaimProcessingCodes.Error)
        {
            return true;
        }

        var actions = response.Item.Select(ItemAction).Where(code => code is not null).ToList();
        return actions.Count > 0 && actions.All(code => code == NotCertified);
    }

    /// <summary>Active: in force (status active) and its authorized period, if any, not yet over.</summary>
    public static bool IsActive(ClaimResponse response, DateTimeOffset now)
    {
        if (response.Status != FinancialResourceStatusCodes.Active)
        {
            return false;
        }

        var end = response.PreAuthPeriod?.EndElement;
        return end is null || !end.TryToDateTimeOffset(TimeSpan.Zero, out var until) || until.AddDays(end.Value?.Length <= 10 ? 1 : 0) >= now;
    }

    /// <summary>The X12 306 review action of one adjudication, as a copy, or null.</summary>
    public static CodeableConcept? ReviewAction(ClaimResponse.AdjudicationComponent adjudication) =>
        (adjudication.GetExtension(ReviewActionUrl)?.GetExtension(ReviewActionCodeUrl)?.Value as CodeableConcept)?.DeepCopy() as CodeableConcept;

    private static string? ItemAction(ClaimResponse.ItemComponent item) =>
        item.Adjudication
            .Select(ReviewAction)
            .SelectMany(cc => cc?.Coding ?? [])
            .FirstOrDefault(c => c.System == X12ReviewActionSystem)?.Code;
}
