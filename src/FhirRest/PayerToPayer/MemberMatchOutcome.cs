using Hl7.Fhir.Model;

namespace SpinePolicy.FhirRest.PayerToPayer;

internal enum MemberMatchResult
{
    Matched,
    NoMatch,
    MultipleMatches,
}

/// <summary>What matching found: exactly one member (with the Coverage that matched), none, or several.</summary>
internal sealed record MemberMatchOutcome(MemberMatchResult Result, Patient? Patient, Coverage? Coverage, Identifier? MatchedIdentifier)
{
    public static MemberMatchOutcome None { get; } = new(MemberMatchResult.NoMatch, null, null, null);

    public static MemberMatchOutcome Several { get; } = new(MemberMatchResult.MultipleMatches, null, null, null);
}
