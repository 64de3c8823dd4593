using Hl7.Fhir.Model;

namespace SpinePolicy.Fhir.Security;

/// <summary>
/// Which provider organization a stored record belongs to: a meta.tag in <see cref="System"/> whose
/// code is the organization key ("system|value" of its NPI). Written by the server on every PAS
/// record (request Bundle, Claim, ClaimResponse, QuestionnaireResponses) and DTR response it
/// stores, from the caller's configured binding, never from the request's content; the stores index
/// it, so searches and reads can be limited to the caller's own records.
/// </summary>
public static class OwnerTag
{
    public const string System = "https://spinepolicy.example.org/fhir/CodeSystem/owning-organization";

    /// <summary>Files the resource under <paramref name="ownerKey"/>, replacing any tag a client sent.</summary>
    public static void Set(Resource resource, string? ownerKey)
    {
        resource.Meta ??= new Meta();
        resource.Meta.Tag = [.. resource.Meta.Tag.Where(t => t.System != System)];
        if (ownerKey is not null)
        {
            resource.Meta.Tag.Add(new Coding(System, ownerKey, "Owning provider organization"));
        }
    }

    /// <summary>The owner key of a stored resource, or null (a record of no provider's).</summary>
    public static string? Of(Resource resource) =>
        resource.Meta?.Tag.FirstOrDefault(t => t.System == System)?.Code;
}
