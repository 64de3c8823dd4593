using Hl7.Fhir.Model;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// Serializes an answer through Firely, with each <see cref="SerializedOnce"/> resource it carries
/// (as a Parameters parameter or part, or a Bundle entry) copied in from its stored JSON. Firely
/// serializes the answer with a small stand-in resource in each such place; the stand-ins are then
/// replaced, in document order, by the stored bytes. The output is byte for byte what Firely writes
/// for the whole answer (SplicedJsonTests).
/// </summary>
internal static class SplicedJson
{
    // The stand-ins' ids carry a marker drawn once per process, so no resource of a request can
    // look like one; the search is also on the whole serialized stand-in with its unescaped quotes,
    // which a JSON string value cannot contain.
    private static readonly string Marker = "spliced-" + Guid.NewGuid().ToString("N");

    /// <summary>
    /// The answer as consecutive pieces of JSON: Firely's serialization of the answer around the
    /// stored bytes of each registered resource, which are written as they are, never copied into
    /// a whole answer first (a `$questionnaire-package` answer is ~64 KB, most of it published
    /// resources). The pieces may be shared, so they are only ever read.
    /// </summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> Serialize(Resource resource)
    {
        if (SerializedOnce.TryGet(resource, out var whole))
        {
            return [whole];
        }

        var stored = new List<byte[]>();
        var standIn = StandIn(resource, stored);
        var json = FhirJson.SerializeToUtf8Bytes(standIn);
        if (stored.Count == 0)
        {
            return [json];
        }

        // A stand-in not found where document order puts it cannot happen with Firely's writer as
        // it is; should a later version write differently, the answer is still Firely's, whole.
        return Splice(json, stored) ?? [FhirJson.SerializeToUtf8Bytes(resource)];
    }

    private static Resource StandIn(Resource resource, List<byte[]> stored)
    {
        if (SerializedOnce.TryGet(resource, out var json))
        {
            stored.Add(json);
            return new Basic { Id = $"{Marker}-{stored.Count - 1}" };
        }

        return resource switch
        {
            Parameters parameters when StandIns(parameters.Parameter, StandIn, stored) is { } changed =>
                Copy(parameters, copy => copy.Parameter = changed),
            Bundle bundle when StandIns(bundle.Entry, StandIn, stored) is { } changed =>
                Copy(bundle, copy => copy.Entry = changed),
            _ => resource,
        };
    }

    private static Parameters.ParameterComponent StandIn(Parameters.ParameterComponent parameter, List<byte[]> stored)
    {
        // Firely writes a parameter's resource before its parts: the stand-ins are made in that order.
        var resource = parameter.Resource is { } r ? StandIn(r, stored) : null;
        var parts = StandIns(parameter.Part, StandIn, stored);
        return ReferenceEquals(resource, parameter.Resource) && parts is null
            ? parameter
            : Copy(parameter, copy =>
            {
                copy.Resource = resource;
                if (parts is not null)
                {
                    copy.Part = parts;
                }
            });
    }

    private static Bundle.EntryComponent StandIn(Bundle.EntryComponent entry, List<byte[]> stored) =>
        entry.Resource is { } resource && StandIn(resource, stored) is var standIn && !ReferenceEquals(standIn, resource)
            ? Copy(entry, copy => copy.Resource = standIn)
            : entry;

    /// <summary>A new list with the stand-ins, or null when no item holds a stored resource.</summary>
    private static List<T>? StandIns<T>(List<T> items, Func<T, List<byte[]>, T> standIn, List<byte[]> stored) where T : class
    {
        List<T>? changed = null;
        for (var i = 0; i < items.Count; i++)
        {
            var item = standIn(items[i], stored);
            if (!ReferenceEquals(item, items[i]))
            {
                changed ??= [.. items];
                changed[i] = item;
            }
        }

        return changed;
    }

    /// <summary>The answer the caller built is never changed (it may be shared): the stand-ins go into copies.</summary>
    private static T Copy<T>(T original, Action<T> change) where T : Base
    {
        var copy = FhirShallowCopy.Of(original);
        change(copy);
        return copy;
    }

    /// <summary>The answer's pieces, each stand-in replaced by its stored bytes; null when a stand-in is not found.</summary>
    private static List<ReadOnlyMemory<byte>>? Splice(byte[] json, List<byte[]> stored)
    {
        var pieces = new List<ReadOnlyMemory<byte>>(2 * stored.Count + 1);
        var from = 0;
        for (var i = 0; i < stored.Count; i++)
        {
            var standIn = FhirJson.SerializeToUtf8Bytes(new Basic { Id = $"{Marker}-{i}" });
            var at = json.AsSpan(from).IndexOf(standIn);
            if (at < 0)
            {
                return null;
            }

            pieces.Add(json.AsMemory(from, at));
            pieces.Add(stored[i]);
            from += at + standIn.Length;
        }

        pieces.Add(json.AsMemory(from));
        return pieces;
    }
}
