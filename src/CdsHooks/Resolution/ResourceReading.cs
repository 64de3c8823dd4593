using System.Text.Json;
using Hl7.Fhir.Model;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.CdsHooks.Resolution;

/// <summary>Parses resources out of a hook call at the strictness each one deserves.</summary>
internal static class ResourceReading
{
    /// <summary>
    /// A resource the answer depends on (a governed order, the member's Coverage): strict, and a
    /// defect is the caller's 400 with an OperationOutcome naming it.
    /// </summary>
    public static T ParseNeeded<T>(JsonElement element, string where) where T : Resource
    {
        try
        {
            return FhirJson.ParseElement(element) as T
                ?? throw CdsRequestException.BadFhir("unexpected-resource", $"{where} is not a {typeof(T).Name}.", where);
        }
        catch (FhirHttpException ex)
        {
            throw CdsRequestException.BadFhir("invalid-fhir", $"{where} is not valid FHIR R4: {ex.Message}", where);
        }
    }

    /// <summary>
    /// A resource the service may not need: strict when possible, else recovered leniently and
    /// marked defective; null when not even that works. The caller decides later whether it needs it.
    /// </summary>
    public static TolerantParse<T> ParseTolerant<T>(JsonElement element) where T : Resource
    {
        try
        {
            return new TolerantParse<T>(FhirJson.ParseElement(element) as T, false, null);
        }
        catch (FhirHttpException strict)
        {
            try
            {
                return new TolerantParse<T>(FhirJson.ParseElement(element, lenient: true) as T, true, strict.Message);
            }
            catch (FhirHttpException)
            {
                return new TolerantParse<T>(null, true, strict.Message);
            }
        }
    }
}

/// <summary>A leniently parsed resource and whether strict parsing found defects.</summary>
internal sealed record TolerantParse<T>(T? Resource, bool Defective, string? Problem) where T : Resource;
