using System.Text.Json;
using Hl7.Fhir.Model;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.CdsHooks.Resolution;

/// <summary>
/// Parses the orders of a hook call, strictly when possible. (The member's Patient and Coverage
/// are not parsed: the few elements a hook uses are read straight from their JSON, see
/// <see cref="Member.MemberResolver"/>.)
/// </summary>
internal static class ResourceReading
{
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
