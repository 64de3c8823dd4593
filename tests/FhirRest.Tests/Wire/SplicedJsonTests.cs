using System.Runtime.InteropServices;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.FhirRest.Tests.Wire;

/// <summary>
/// Resources registered with <see cref="SerializedOnce"/> are copied into an answer from their stored
/// JSON; the answer must still be exactly what Firely writes for the whole of it.
/// </summary>
public sealed class SplicedJsonTests
{
    [Fact]
    public void RegisteredResource_AloneIsWrittenAsFirelyWritesIt()
    {
        var questionnaire = SerializedOnce.Register(Questionnaire("alone"));

        Assert.Equal(FhirJson.SerializeToUtf8Bytes(questionnaire), Written(questionnaire));
    }

    [Fact]
    public void AnswerCarryingRegisteredResources_IsByteForByteWhatFirelyWrites()
    {
        var first = SerializedOnce.Register(Questionnaire("first"));
        var second = SerializedOnce.Register(Questionnaire("second"));
        var library = SerializedOnce.Register(new Library { Id = "lib", Url = "https://example.org/Library/lib", Version = "1", Status = PublicationStatus.Active });
        var answer = new Parameters
        {
            Meta = new Meta { Profile = ["http://example.org/StructureDefinition/output"] },
            Parameter =
            [
                new() { Name = "PackageBundle", Resource = Package(first, library, "draft-1") },
                new() { Name = "PackageBundle", Resource = Package(second, library, "draft-2") },
                new()
                {
                    Name = "nested",
                    Part = [new() { Name = "alone", Resource = second }, new() { Name = "text", Value = new FhirString("{\"resourceType\":\"Basic\"}") }],
                },
                new() { Name = "operationOutcome", Resource = new OperationOutcome { Issue = [new() { Severity = OperationOutcome.IssueSeverity.Information, Code = OperationOutcome.IssueType.Informational, Diagnostics = "note" }] } },
            ],
        };
        var expected = FhirJson.SerializeToUtf8Bytes(answer);

        var written = Written(answer);

        Assert.Equal(System.Text.Encoding.UTF8.GetString(expected), System.Text.Encoding.UTF8.GetString(written));
        // The caller's answer is left as it was built: the stand-ins went into copies.
        var bundle = Assert.IsType<Bundle>(answer.Parameter[0].Resource);
        Assert.Same(first, bundle.Entry[0].Resource);
        Assert.Same(library, bundle.Entry[1].Resource);
        Assert.Same(second, answer.Parameter[2].Part[0].Resource);
        Assert.Equal(expected, FhirJson.SerializeToUtf8Bytes(answer));
    }

    [Fact]
    public void AnswerWithoutRegisteredResources_IsWrittenByFirelyAsIs()
    {
        var answer = Package(Questionnaire("unregistered"), new Library { Id = "plain" }, "draft");

        Assert.Equal(FhirJson.SerializeToUtf8Bytes(answer), Written(answer));
    }

    [Fact]
    public void RegisteredResource_IsWrittenFromItsStoredBytes_NotCopiedIntoAWholeAnswer()
    {
        var questionnaire = SerializedOnce.Register(Questionnaire("pieces"));
        Assert.True(MemoryMarshal.TryGetArray(Assert.Single(FhirWire.SerializeInPieces(questionnaire, FhirFormat.Json)), out var stored));
        var answer = new Parameters { Parameter = [new() { Name = "PackageBundle", Resource = Package(questionnaire, new Library { Id = "plain" }, "draft-pieces") }] };

        var pieces = FhirWire.SerializeInPieces(answer, FhirFormat.Json);

        Assert.Contains(pieces, piece => MemoryMarshal.TryGetArray(piece, out var written) && ReferenceEquals(written.Array, stored.Array));
        Assert.Equal(FhirJson.SerializeToUtf8Bytes(answer), Written(answer));
    }

    /// <summary>The answer as the response receives it: its pieces, in order.</summary>
    private static byte[] Written(Resource answer) =>
        [.. FhirWire.SerializeInPieces(answer, FhirFormat.Json).SelectMany(piece => piece.ToArray())];

    private static Questionnaire Questionnaire(string id) => new()
    {
        Id = id,
        Url = $"https://example.org/Questionnaire/{id}",
        Version = "2026.01.0",
        Status = PublicationStatus.Active,
        Item = [new() { LinkId = "1", Text = "Level \"L4-L5\" ✓", Type = Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Boolean }],
    };

    private static Bundle Package(Questionnaire questionnaire, Library library, string draftId) => new()
    {
        Id = draftId + "-bundle",
        Type = Bundle.BundleType.Collection,
        Entry =
        [
            new() { FullUrl = $"https://example.org/Questionnaire/{questionnaire.Id}", Resource = questionnaire },
            new() { FullUrl = "https://example.org/Library/lib", Resource = library },
            new() { FullUrl = $"urn:uuid:{Guid.NewGuid()}", Resource = new QuestionnaireResponse { Id = draftId, Status = QuestionnaireResponse.QuestionnaireResponseStatus.InProgress } },
        ],
    };
}
