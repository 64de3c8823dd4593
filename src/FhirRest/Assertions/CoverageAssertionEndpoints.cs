using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Fhir.Security;
using SpinePolicy.FhirRest.Rest;
using SpinePolicy.Storage;

namespace SpinePolicy.FhirRest.Assertions;

/// <summary>GET /fhir/Basic/{coverage-assertion-id}: what CRD told the EHR about one order.</summary>
public static class CoverageAssertionEndpoints
{
    public static void Map(RouteGroupBuilder fhir)
    {
        fhir.MapGet("/Basic/{id}", ReadAsync).RequireFhirScope("Basic", FhirAccess.Read);
    }

    public static async Task<FhirResult> ReadAsync(string id, HttpContext context, FhirCallers callers, ICoverageAssertionStore assertions, CancellationToken cancellationToken)
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

        var assertion = await assertions.FindAsync(id, cancellationToken)
            ?? throw FhirHttpException.NotFound($"Basic/{id}: no coverage assertion with this id.");
        return FhirResult.Ok(CoverageAssertionBasic.From(assertion));
    }
}
