using System.Buffers;
using System.Text.Json;
using Hl7.Fhir.Model;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.Fhir.CoverageInformation;

namespace SpinePolicy.CdsHooks.Responses;

/// <summary>
/// The coverage-information one resource gets: one coverage-assertion-id for all its repetitions
/// (one per order behind it), and whether it differs from what the resource already carries.
/// </summary>
/// <param name="Changed">False when the resource already says the same under <paramref name="AssertionId"/>: no update is sent.</param>
internal sealed record CoverageAnnotation(DomainResource Target, string AssertionId, IReadOnlyList<AssessedOrder> Orders, bool Changed)
{
    /// <summary>The member's Coverage the repetitions are about (ours replace our earlier ones for it).</summary>
    public ResourceReference? CoverageReference { get; init; }

    /// <summary>
    /// The update system action: the resource's JSON as the EHR sent it, with our earlier
    /// annotation for this Coverage replaced by this one. Nothing else of it is rewritten.
    /// </summary>
    public CdsSystemAction ToUpdateAction()
    {
        var source = Orders[0].Candidate.Source;
        if (source.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException("An order to annotate is a JSON object (it was read as a FHIR resource).");
        }

        var written = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(written))
        {
            CoverageInformationExtension.WriteAnnotated(writer, source, CoverageReference?.Reference, Orders.Select(order => CoverageInformationExtension.Build(order.Answer)));
        }

        var annotated = new Utf8JsonReader(written.WrittenSpan);
        var reference = Orders[0].Candidate.TargetReference;
        var about = Orders.Any(o => o.Governed) ? "Medical Policy 097" : "no loaded medical policy governs it";
        return new CdsSystemAction("update", $"Coverage information for {reference} ({about})", JsonElement.ParseValue(ref annotated));
    }
}
