using Hl7.Fhir.Model;
using SpinePolicy.Fhir.CoverageInformation;

namespace SpinePolicy.CdsHooks.Responses;

/// <summary>
/// The coverage-information this payer put on a resource earlier for one Coverage, as the EHR sends
/// it back (e.g. the annotated order resent at order-dispatch), to tell whether a new answer says
/// anything new.
/// </summary>
internal sealed class PreviousAnnotation
{
    /// <summary>The parts that change every time without changing what is said.</summary>
    private static readonly string[] Stamps = ["date", "coverage-assertion-id"];

    private readonly IReadOnlyList<Extension> _repetitions;

    private PreviousAnnotation(string assertionId, IReadOnlyList<Extension> repetitions)
    {
        AssertionId = assertionId;
        _repetitions = repetitions;
    }

    public string AssertionId { get; }

    /// <summary>Null when the resource carries none for this Coverage, or repetitions under several ids.</summary>
    public static PreviousAnnotation? Of(DomainResource target, ResourceReference coverage)
    {
        if (coverage.Reference is null)
        {
            return null;
        }

        var repetitions = target.Extension
            .Where(e => e.Url == CoverageInformationExtension.Url && e.GetExtensionValue<ResourceReference>("coverage")?.Reference == coverage.Reference)
            .ToList();
        var ids = repetitions.Select(e => (e.GetExtensionValue<FhirString>("coverage-assertion-id"))?.Value).Distinct().ToList();
        return repetitions.Count > 0 && ids is [{ Length: > 0 } id] ? new PreviousAnnotation(id, repetitions) : null;
    }

    /// <summary>True when <paramref name="answers"/> would write exactly these repetitions, dates and ids aside.</summary>
    public bool SaysTheSameAs(IEnumerable<CoverageAnswer> answers)
    {
        var unmatched = _repetitions.Select(WithoutStamps).ToList();
        foreach (var answer in answers)
        {
            var written = WithoutStamps(CoverageInformationExtension.Build(answer));
            var match = unmatched.FindIndex(previous => previous.IsExactly(written));
            if (match < 0)
            {
                return false;
            }

            unmatched.RemoveAt(match);
        }

        return unmatched.Count == 0;
    }

    private static Extension WithoutStamps(Extension repetition)
    {
        var copy = (Extension)repetition.DeepCopy();
        copy.Extension.RemoveAll(e => Stamps.Contains(e.Url));
        return copy;
    }
}
