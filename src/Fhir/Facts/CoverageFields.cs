using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using SpinePolicy.Fhir.Http;
using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.Fhir.Facts;

/// <summary>
/// The few elements of a Coverage the policy facts come from: its id (the coverage-information
/// extension points at it), its status, its payors and its plan classes. Read from a parsed
/// Coverage (PAS, DTR) or straight from a hook's JSON (<see cref="Read"/>), so that a hook does
/// not build a whole Coverage to use four of its elements; <see cref="MemberCoverageReader"/>
/// decides from these alone, whichever way they were read.
/// </summary>
public sealed record CoverageFields(string? Id, string? Status, IReadOnlyList<CoveragePayor> Payors, IReadOnlyList<CoveragePlanClass> Classes)
{
    private static readonly HashSet<string> Statuses = new(
        Enum.GetValues<FinancialResourceStatusCodes>().Select(s => s.GetLiteral()!), StringComparer.Ordinal);

    public bool IsActive => Status is null or "active";

    /// <summary>Coverage.period.start: the earliest day it may mean; null when open.</summary>
    public DateOnly? From { get; init; }

    /// <summary>Coverage.period.end: the latest day it may mean; null when open.</summary>
    public DateOnly? To { get; init; }

    /// <summary>When the Coverage is in force, for the engines to hold each date of service against.</summary>
    public CoverageTerm Term => new(Status, From, To);

    public static CoverageFields Of(Coverage coverage)
    {
        var (from, to) = PeriodOf(coverage.Period?.StartElement, coverage.Period?.EndElement, "Coverage.period");
        return new(
            coverage.Id,
            coverage.Status?.GetLiteral(),
            [.. coverage.Payor.Select(p => new CoveragePayor(p.Identifier?.Value, p.Reference))],
            [.. coverage.Class.Select(c => new CoveragePlanClass(
                [.. c.Type?.Coding.Select(t => new CoveragePlanClassType(t.System, t.Code)) ?? []],
                c.Value))])
        {
            From = from,
            To = to,
        };
    }

    /// <summary>The days a Coverage.period opens and closes on, read in the member's favour; a period that ends before it starts is refused.</summary>
    private static (DateOnly? From, DateOnly? To) PeriodOf(FhirDateTime? start, FhirDateTime? end, string path)
    {
        var from = FhirDates.Of(start, $"{path}.start")?.Start;
        var to = FhirDates.Of(end, $"{path}.end")?.End;
        if (from is { } f && to is { } t && t < f)
        {
            throw FhirHttpException.BadRequest($"{path} ends before it starts.", path);
        }

        return (from, to);
    }

    /// <summary>
    /// The elements from a Coverage's JSON. What it reads must be what FHIR R4 allows there (a
    /// valid id, a status of the value set, the JSON kinds the elements have): otherwise the
    /// caller's 400 naming the element. Elements it does not read are not checked.
    /// </summary>
    public static CoverageFields Read(JsonElement coverage, string path)
    {
        if (coverage.ValueKind != JsonValueKind.Object)
        {
            throw FhirHttpException.Structure($"{path} must be a JSON object.");
        }

        var id = JsonFields.OptionalString(coverage, "id", $"{path}.id");
        if (id is not null && !Hl7.Fhir.Model.Id.IsValidValue(id))
        {
            throw FhirHttpException.BadRequest($"{path}.id is not a FHIR id (1–64 letters, digits, '-' and '.').", $"{path}.id");
        }

        var status = JsonFields.OptionalString(coverage, "status", $"{path}.status");
        if (status is not null && !Statuses.Contains(status))
        {
            throw FhirHttpException.BadRequest($"{path}.status '{status}' is not a Coverage status (active, cancelled, draft, entered-in-error).", $"{path}.status");
        }

        var payors = JsonFields.Objects(coverage, "payor", $"{path}.payor")
            .Select(p => new CoveragePayor(
                JsonFields.OptionalObject(p.Item, "identifier", $"{p.Path}.identifier") is { } identifier
                    ? JsonFields.OptionalString(identifier, "value", $"{p.Path}.identifier.value")
                    : null,
                JsonFields.OptionalString(p.Item, "reference", $"{p.Path}.reference")))
            .ToList();

        var classes = JsonFields.Objects(coverage, "class", $"{path}.class")
            .Select(c => new CoveragePlanClass(
                JsonFields.OptionalObject(c.Item, "type", $"{c.Path}.type") is { } type
                    ? JsonFields.Objects(type, "coding", $"{c.Path}.type.coding")
                        .Select(t => new CoveragePlanClassType(
                            JsonFields.OptionalString(t.Item, "system", $"{t.Path}.system"),
                            JsonFields.OptionalString(t.Item, "code", $"{t.Path}.code")))
                        .ToList()
                    : [],
                JsonFields.OptionalString(c.Item, "value", $"{c.Path}.value")))
            .ToList();

        var period = JsonFields.OptionalObject(coverage, "period", $"{path}.period");
        var (from, to) = period is { } value
            ? PeriodOf(DateTimeOf(value, "start", $"{path}.period.start"), DateTimeOf(value, "end", $"{path}.period.end"), $"{path}.period")
            : (null, null);
        return new CoverageFields(id, status, payors, classes) { From = from, To = to };
    }

    private static FhirDateTime? DateTimeOf(JsonElement period, string name, string path) =>
        JsonFields.OptionalString(period, name, path) is { } written ? new FhirDateTime(written) : null;

    public bool Equals(CoverageFields? other) =>
        other is not null && Id == other.Id && Status == other.Status && From == other.From && To == other.To && Payors.SequenceEqual(other.Payors) && Classes.SequenceEqual(other.Classes);

    public override int GetHashCode() => HashCode.Combine(Id, Status, Payors.Count, Classes.Count);
}

/// <summary>One Coverage.payor: its identifier's value and its literal reference.</summary>
public sealed record CoveragePayor(string? IdentifierValue, string? Reference);

/// <summary>One Coverage.class: its type's codings and its value.</summary>
public sealed record CoveragePlanClass(IReadOnlyList<CoveragePlanClassType> Type, string? Value)
{
    public bool Equals(CoveragePlanClass? other) => other is not null && Value == other.Value && Type.SequenceEqual(other.Type);

    public override int GetHashCode() => HashCode.Combine(Value, Type.Count);
}

/// <summary>One coding of a Coverage.class.type.</summary>
public sealed record CoveragePlanClassType(string? System, string? Code);
