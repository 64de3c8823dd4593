using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Fhir.Security;
using SpinePolicy.FhirRest.Rest;
using SpinePolicy.Storage;
using SpinePolicy.Storage.Feedback;

namespace SpinePolicy.FhirRest.Assertions;

/// <summary>
/// GET /fhir/Basic/{id}: what CRD told the EHR about one order (id = coverage-assertion-id), or one
/// CDS Hooks feedback entry on a CRD card; GET /fhir/Basic?code=cds-hooks-feedback: the feedback,
/// for the payer's own reporting, by coverage assertion and by date received (the only Basic searched).
/// </summary>
internal static class CoverageAssertionEndpoints
{
    public const string AssertionParameter = "coverage-assertion-id";

    public static void Map(RouteGroupBuilder fhir)
    {
        fhir.MapGet("/Basic/{id}", ReadAsync).RequireFhirScope("Basic", FhirAccess.Read);
        fhir.MapFhirSearch("/Basic", SearchFeedbackAsync).RequireFhirScope("Basic", FhirAccess.Search);
    }

    public static async Task<FhirResult> ReadAsync(string id, HttpContext context, FhirCallers callers, ICoverageAssertionStore assertions, ICardFeedbackStore feedback, CancellationToken cancellationToken)
    {
        // An assertion id is handed to the EHR in the CRD answer and travels with the order into
        // DTR and PAS: providers holding one, and this payer's staff, may read it; nobody else.
        var caller = callers.Of(context);
        if (!(caller.IsPayerStaff || caller.IsProvider))
        {
            throw FhirHttpException.Forbidden("Coverage assertions are read by providers and by this payer's staff only.");
        }

        if (!FhirIds.IsValid(id))
        {
            throw FhirHttpException.BadRequest($"'{id}' is not a valid FHIR id.");
        }

        if (await assertions.FindAsync(id, cancellationToken) is { } assertion)
        {
            return FhirResult.Ok(CoverageAssertionBasic.From(assertion));
        }

        // Feedback is the payer's own reporting: to anyone else it does not exist.
        if (caller.IsPayerStaff && await feedback.FindAsync(id, cancellationToken) is { } entry)
        {
            return FhirResult.Ok(CardFeedbackBasic.From(entry));
        }

        throw FhirHttpException.NotFound($"Basic/{id}: no coverage assertion with this id.");
    }

    public static async Task<FhirResult> SearchFeedbackAsync(HttpContext context, FhirCallers callers, ICardFeedbackStore feedback, FhirCapabilities capabilities, CancellationToken cancellationToken)
    {
        if (!callers.Of(context).IsPayerStaff)
        {
            throw FhirHttpException.Forbidden("CDS Hooks feedback is searched by this payer's staff only.");
        }

        var parameters = await FhirSearchRoutes.ParametersAsync(context.Request, cancellationToken);
        var search = SearchRequest.Parse(capabilities.Find("Basic")!, parameters, FhirPrefer.Lenient(context.Request));
        var codes = search.Of("code").ToList();
        // Feedback is the one kind of Basic searched: code may say so, and may not ask for another.
        if (codes.Any(c => !c.Tokens.Any(IsFeedbackCode)))
        {
            throw FhirHttpException.BadRequest($"Basic search finds CDS Hooks feedback only (code={CardFeedbackBasic.Code}); coverage assertions are read by id (Basic/{{coverage-assertion-id}}).");
        }

        var assertionIds = search.Of(AssertionParameter).SelectMany(c => c.Values).Distinct(StringComparer.Ordinal).ToList();
        if (assertionIds.Count > 1)
        {
            throw FhirHttpException.BadRequest($"'{AssertionParameter}' takes one coverage-assertion-id per search.");
        }

        var received = search.Dates("created");
        var counted = search.IncludeTotal || search.CountOnly;
        if (received.Empty)
        {
            return FhirResult.Ok(SearchBundles.Build(context, search, [], null, counted ? 0 : null));
        }

        var skip = InMemorySearchPage.Offset(search.Cursor);
        var query = new CardFeedbackQuery
        {
            AssertionId = assertionIds.FirstOrDefault(),
            ReceivedFrom = received.From,
            ReceivedTo = received.To,
            NewestFirst = search.NewestFirst,
            Skip = skip,

            // One more than the page, to know whether there is a next one.
            Take = search.Count + 1,
        };
        int? total = counted ? await feedback.CountAsync(query, cancellationToken) : null;
        if (search.CountOnly)
        {
            return FhirResult.Ok(SearchBundles.Build(context, search, [], null, total));
        }

        var found = await feedback.SearchAsync(query, cancellationToken);
        var page = found.Take(search.Count).Select(CardFeedbackBasic.From).ToList<Resource>();
        var next = found.Count > search.Count ? (skip + search.Count).ToString(CultureInfo.InvariantCulture) : null;
        return FhirResult.Ok(SearchBundles.Build(context, search, page, next, total));
    }

    private static bool IsFeedbackCode(TokenSearchValue token) =>
        token.Code == CardFeedbackBasic.Code && (token.System is null || token.System == CoverageAssertionBasic.KindSystem);
}
