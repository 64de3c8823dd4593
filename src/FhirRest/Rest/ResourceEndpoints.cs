using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Fhir.Security;
using SpinePolicy.FhirRest.Security;
using SpinePolicy.Storage;
using Interaction = Hl7.Fhir.Model.CapabilityStatement.TypeRestfulInteraction;

namespace SpinePolicy.FhirRest.Rest;

/// <summary>
/// The generic FHIR interactions on stored resources: read, vread, search (GET, and POST
/// [type]/_search), create (with If-None-Exist) and update (with If-Match), for the types this
/// slice contributes as <see cref="ServedRoutes.Generic"/>. More specific routes of other slices
/// (/fhir/Claim/$submit, /fhir/Questionnaire/…) win over these by route precedence.
/// </summary>
internal static class ResourceEndpoints
{
    public static void Map(RouteGroupBuilder fhir)
    {
        fhir.MapFhirSearch("/{type}", SearchAsync).RequireFhirScopeForRouteType(FhirAccess.Search);
        fhir.MapGet("/{type}/{id}", ReadAsync).RequireFhirScopeForRouteType(FhirAccess.Read);
        fhir.MapGet("/{type}/{id}/_history/{version}", VReadAsync).RequireFhirScopeForRouteType(FhirAccess.Read);
        fhir.MapPost("/{type}", CreateAsync).RequireFhirScopeForRouteType(FhirAccess.Create);
        fhir.MapPut("/{type}/{id}", UpdateAsync).RequireFhirScopeForRouteType(FhirAccess.Update);
    }

    public static async Task<FhirResult> SearchAsync(string type, HttpContext context, IResourceStore store, FhirCapabilities capabilities, FhirCallers callers, CancellationToken cancellationToken)
    {
        var served = StoredType(capabilities, type, Interaction.SearchType);
        var owner = StoredResourceAccess.OwnerFilter(callers.Of(context), type);
        var parameters = await FhirSearchRoutes.ParametersAsync(context.Request, cancellationToken);
        var search = SearchRequest.Parse(served, parameters, FhirPrefer.Lenient(context.Request));
        var page = StoreSearch.From(search) is { } storeSearch
            ? await store.SearchAsync(storeSearch with { OwnerKey = owner }, cancellationToken)
            : new SearchPage([], null, 0);
        var matches = page.Resources.Where(r => !r.Deleted).Select(StoredResources.ToResource);
        return FhirResult.Ok(SearchBundles.Build(context, search, matches, page.Next, page.Total));
    }

    public static async Task<FhirResult> ReadAsync(string type, string id, HttpContext context, IResourceStore store, FhirCapabilities capabilities, FhirCallers callers, StoredResourceAccess access, CancellationToken cancellationToken)
    {
        StoredType(capabilities, type, Interaction.Read);
        RequireId(id);
        var caller = callers.Of(context);
        StoredResourceAccess.EnsureMayReadType(caller, type);
        var stored = await store.ReadAsync(type, id, cancellationToken);
        return Found(await VisibleAsync(stored, caller, access, cancellationToken), $"{type}/{id}");
    }

    public static async Task<FhirResult> VReadAsync(string type, string id, string version, HttpContext context, IResourceStore store, FhirCapabilities capabilities, FhirCallers callers, StoredResourceAccess access, CancellationToken cancellationToken)
    {
        StoredType(capabilities, type, Interaction.Vread);
        RequireId(id);
        var caller = callers.Of(context);
        StoredResourceAccess.EnsureMayReadType(caller, type);
        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var versionId) || versionId < 1)
        {
            throw FhirHttpException.BadRequest("The version id must be a positive whole number.");
        }

        // Visibility follows the current version: a record's owner never changes.
        var current = await VisibleAsync(await store.ReadAsync(type, id, cancellationToken), caller, access, cancellationToken);
        var stored = current is null ? null : await store.ReadVersionAsync(type, id, versionId, cancellationToken);
        return Found(stored, $"{type}/{id}/_history/{version}");
    }

    public static async Task<FhirResult> CreateAsync(string type, HttpContext context, IResourceStore store, FhirCapabilities capabilities, FhirCallers callers, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var served = StoredType(capabilities, type, Interaction.Create);
        var caller = callers.Of(context);
        StoredResourceAccess.EnsureMayWrite(caller, type);
        var resource = await FhirRequestBody.ReadAsync(request, cancellationToken);
        RequireType(resource, type);

        // Ownership is the server's to record, never the client's to claim.
        OwnerTag.Set(resource, null);

        var ifNoneExist = request.Headers["If-None-Exist"].ToString();
        if (!string.IsNullOrEmpty(ifNoneExist))
        {
            var criteria = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(ifNoneExist.StartsWith('?') ? ifNoneExist : "?" + ifNoneExist);
            if (criteria.Count == 0 || criteria.Keys.Any(k => SearchRequest.ResultParameters.Contains(k)))
            {
                throw FhirHttpException.BadRequest("If-None-Exist must hold search criteria such as identifier=system|value.");
            }

            // Matched within what the caller may read: a conditional create never returns anything else.
            var owner = StoredResourceAccess.OwnerFilter(caller, type);
            var search = StoreSearch.From(SearchRequest.Parse(served, criteria, lenient: false));
            var existing = search is null ? [] : (await store.SearchAsync(search with { Count = 2, OwnerKey = owner }, cancellationToken)).Resources.Where(r => !r.Deleted).ToList();
            if (existing.Count > 1)
            {
                throw new FhirHttpException(StatusCodes.Status412PreconditionFailed, OperationOutcome.IssueType.MultipleMatches,
                    "If-None-Exist matched more than one resource.");
            }

            if (existing.Count == 1)
            {
                // FHIR conditional create: one match means nothing is created and the match is returned.
                return WithVersion(FhirResult.Written(StoredResources.ToResource(existing[0])), existing[0]);
            }
        }

        // The server assigns ids on create; a client id in the body is ignored, as FHIR says.
        resource.Id = null;
        var saved = (await store.SaveAsync([new ResourceWrite(resource)], cancellationToken))[0];
        var location = $"{PublicEndpoints.Of(context).FhirBase}/{type}/{saved.Id}/_history/{saved.VersionId}";
        return WithVersion(FhirResult.Created(StoredResources.ToResource(saved), location), saved);
    }

    public static async Task<FhirResult> UpdateAsync(string type, string id, HttpRequest request, IResourceStore store, FhirCapabilities capabilities, FhirCallers callers, CancellationToken cancellationToken)
    {
        StoredType(capabilities, type, Interaction.Update);
        RequireId(id);
        StoredResourceAccess.EnsureMayWrite(callers.Of(request.HttpContext), type);
        var ifMatch = FhirIfMatch.Version(request);
        var resource = await FhirRequestBody.ReadAsync(request, cancellationToken);
        RequireType(resource, type);
        OwnerTag.Set(resource, null);
        if (resource.Id != id)
        {
            throw FhirHttpException.BadRequest($"The resource id in the body ('{resource.Id}') must equal the id in the URL ('{id}').");
        }

        // Update never creates: ids are the server's to assign (CapabilityStatement: updateCreate=false).
        if (await store.ReadAsync(type, id, cancellationToken) is not { Deleted: false } current)
        {
            throw FhirHttpException.NotFound($"{type}/{id} does not exist; create it with POST.");
        }

        if (ifMatch is { } expected && expected != current.VersionId)
        {
            throw FhirHttpException.StaleIfMatch(type, expected, current.VersionId);
        }

        // Without If-Match the update is unconditional (last writer wins), so only a client's own
        // If-Match can fail here: a write that got in since the read above makes it stale (412).
        StoredResource saved;
        try
        {
            saved = (await store.SaveAsync([new ResourceWrite(resource, IfMatchVersion: ifMatch)], cancellationToken))[0];
        }
        catch (VersionConflictException) when (ifMatch is { } named)
        {
            throw FhirHttpException.StaleIfMatch(type, named, null);
        }

        return WithVersion(FhirResult.Written(StoredResources.ToResource(saved)), saved);
    }

    private static async Task<StoredResource?> VisibleAsync(StoredResource? stored, FhirCaller caller, StoredResourceAccess access, CancellationToken cancellationToken) =>
        stored is not null && await access.MaySeeAsync(caller, stored, cancellationToken) ? stored : null;

    private static FhirResult Found(StoredResource? stored, string what)
    {
        if (stored is null)
        {
            throw FhirHttpException.NotFound($"{what} is not known.");
        }

        if (stored.Deleted)
        {
            throw new FhirHttpException(StatusCodes.Status410Gone, OperationOutcome.IssueType.Deleted, $"{what} was deleted.");
        }

        return WithVersion(FhirResult.Ok(StoredResources.ToResource(stored)), stored);
    }

    private static FhirResult WithVersion(FhirResult result, StoredResource stored) =>
        result.WithVersionHeaders(stored.VersionId.ToString(CultureInfo.InvariantCulture), stored.LastUpdated);

    /// <summary>The served type for a generic route, or the 4xx that says why not.</summary>
    private static ServedResourceType StoredType(FhirCapabilities capabilities, string type, Interaction interaction)
    {
        var served = capabilities.Find(type);
        if (served is null)
        {
            throw ModelInfo.IsKnownResource(type)
                ? FhirHttpException.NotSupported(StatusCodes.Status404NotFound, $"{type} is a FHIR resource type this server does not serve.")
                : FhirHttpException.NotSupported(StatusCodes.Status404NotFound, $"'{type}' is not a FHIR resource type.");
        }

        if (served.Routes != ServedRoutes.Generic || !served.Supports(interaction))
        {
            throw FhirHttpException.NotSupported(StatusCodes.Status405MethodNotAllowed,
                $"{type} does not support {interaction} here; see /fhir/metadata for what is served.");
        }

        return served;
    }

    private static void RequireId(string id)
    {
        if (!FhirIds.IsValid(id))
        {
            throw FhirHttpException.BadRequest($"'{id}' is not a valid FHIR id ([A-Za-z0-9-.]{{1,64}}) nor an operation of this type.");
        }
    }

    private static void RequireType(Resource resource, string type)
    {
        if (resource.TypeName != type)
        {
            throw FhirHttpException.BadRequest($"The body is a {resource.TypeName}; this endpoint takes a {type}.");
        }
    }
}
