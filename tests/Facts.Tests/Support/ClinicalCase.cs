using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.PolicyEngine;

namespace SpinePolicy.Facts.Tests.Support;

/// <summary>
/// One row of the clinical reviewer's case table: a clause, the facts written from the policy text,
/// and what the policy text says CRD, DTR and PAS answer. <see cref="Judged"/> is the order whose
/// answer the row is about (CRD's coverage-information for it, the PAS item for it).
/// </summary>
public sealed record ClinicalCase(
    string Id,
    string Clause,
    string Facts,
    Member Member,
    IReadOnlyList<Order> Orders,
    Func<Policy, IQuestionnaireCatalog, Form>? Form,
    Expected Expected)
{
    /// <summary>The order the row judges: the first unless named.</summary>
    public string Judged { get; init; } = string.Empty;

    /// <summary>Requests of the same member submitted to PAS before this one (P7.16, P8 history).</summary>
    public IReadOnlyList<(IReadOnlyList<Order> Orders, Func<Policy, IQuestionnaireCatalog, Form>? Form)> Before { get; init; } = [];

    public string JudgedId => Judged.Length > 0 ? Judged : Orders[0].Id;

    public override string ToString() => Id;
}

/// <summary>
/// What the policy text says each slice answers for the judged order. Null: the row does not judge
/// that slice. <see cref="Says"/>: words the DTR reason and the PAS notes must both contain (a
/// denial names its clause or criterion, a pend says why); <see cref="CrdCard"/>: words a CRD card
/// summary must contain.
/// </summary>
public sealed record Expected(string? CrdCovered, string? CrdPaNeeded, string? Dtr, string? Pas, string? Says = null, string? CrdCard = null);
