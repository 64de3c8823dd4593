using System.Reflection;
using Hl7.Fhir.Model;

namespace SpinePolicy.Fhir;

/// <summary>
/// A copy of one FHIR element's own members, its children shared with the original. Firely only
/// copies whole trees (<c>DeepCopy</c>); code that changes a top-level member of a resource it does
/// not own (the store stamping id and meta, an answer swapping one entry) needs only the top copied.
/// Setting a member of the copy replaces it there and leaves the original as it was; the shared
/// children must not be changed through the copy.
/// </summary>
public static class FhirShallowCopy
{
    // object.MemberwiseClone is protected; an open delegate to it copies any object's fields.
    private static readonly Func<object, object> CopyFields = typeof(object)
        .GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!
        .CreateDelegate<Func<object, object>>();

    public static T Of<T>(T element) where T : Base => (T)CopyFields(element);

    /// <summary>
    /// A copy of the resource whose id and Meta are its own (Meta copied the same way, or new), for
    /// code that files a resource it does not own under another id, tag or version; nothing below
    /// Meta is copied, so nothing below it may be changed through the copy.
    /// </summary>
    public static T WithOwnIdAndMeta<T>(T resource, string? id) where T : Resource
    {
        var copy = Of(resource);
        copy.Id = id;
        copy.Meta = resource.Meta is { } meta ? Of(meta) : new Meta();
        return copy;
    }
}
