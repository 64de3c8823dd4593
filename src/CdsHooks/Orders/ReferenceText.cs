using Hl7.Fhir.Model;

namespace SpinePolicy.CdsHooks.Orders;

internal static class ReferenceText
{
    /// <summary>"Type/id" for a resource, or "Type/#n" when the EHR sent a draft without an id.</summary>
    public static string For(Resource resource, int position) =>
        string.IsNullOrEmpty(resource.Id) ? $"{resource.TypeName}/#{position}" : $"{resource.TypeName}/{resource.Id}";
}
