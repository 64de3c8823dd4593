using Hl7.Fhir.Model;

namespace SpinePolicy.PriorAuthorization.Submission;

/// <summary>
/// PAS: whether a submit that reuses a recorded request's identifiers asks the same thing. Only
/// then is it an idempotent repeat. The identifiers are how the two were matched, not content, and
/// the Bundle's envelope (id, meta, timestamp) may differ, as it does when a client retries after
/// a timeout.
/// </summary>
internal static class SameRequest
{
    public static bool Holds(Bundle recorded, Bundle incoming) => Content(recorded).IsExactly(Content(incoming));

    private static Bundle Content(Bundle bundle)
    {
        var copy = (Bundle)bundle.DeepCopy();
        copy.Id = null;
        copy.Meta = null;
        copy.Identifier = null;
        copy.Timestamp = null;
        if (copy.Entry.FirstOrDefault()?.Resource is Claim claim)
        {
            claim.Identifier = [];
        }

        return copy;
    }
}
