using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir.Http;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.Fhir.Facts;

/// <summary>
/// The member facts the policy needs from a Patient: the birth date as the days it may mean (a
/// partial birth date is a range, never a guessed day), from which the engine takes the age on each
/// order's date of service (P1, P6). The product line comes from the Coverage (<see cref="MemberCoverageReader"/>).
/// </summary>
public static class PatientFacts
{
    public static AgeFacts AgeOf(Patient? patient, string path = "Patient") =>
        AgeFacts.Born(FhirDates.Of(patient?.BirthDateElement, $"{path}.birthDate"));

    /// <summary>
    /// The same facts straight from a Patient's JSON, the only element of it a hook uses; the
    /// birth date must be a FHIR date (else the caller's 400 naming it). Nothing else is read.
    /// </summary>
    public static AgeFacts AgeOf(JsonElement patient, string path = "Patient")
    {
        if (patient.ValueKind != JsonValueKind.Object)
        {
            throw FhirHttpException.Structure($"{path} must be a JSON object.");
        }

        var birthDate = JsonFields.OptionalString(patient, "birthDate", $"{path}.birthDate");
        if (birthDate is not null && !Date.IsValidValue(birthDate))
        {
            throw FhirHttpException.BadRequest($"{path}.birthDate is not a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD).", $"{path}.birthDate");
        }

        return AgeFacts.Born(FhirDates.Of(birthDate is null ? null : new Date(birthDate), $"{path}.birthDate"));
    }

    /// <summary>
    /// A member born after an order's date of service is an impossible record, not an unknown age
    /// (P1, P6 take the age on that date): CRD, DTR and PAS all refuse it, 422 naming the birth date
    /// (<paramref name="path"/>). A partial birth date that may fall on or before the service passes.
    /// </summary>
    public static void CheckBornBy(AgeFacts age, IEnumerable<OrderedService> orders, string path)
    {
        foreach (var order in orders)
        {
            if (order.DateOfService is { } dateOfService)
            {
                CheckBornBy(age, dateOfService, order.OrderId, path);
            }
        }
    }

    /// <inheritdoc cref="CheckBornBy(AgeFacts, IEnumerable{OrderedService}, string)"/>
    public static void CheckBornBy(AgeFacts age, DateRange dateOfService, string of, string path)
    {
        if (age.BirthDate is { } birth && birth.Start > dateOfService.End)
        {
            throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.BusinessRule,
                $"{path} ({birth}) is after the date of service of {of} ({dateOfService}): a member cannot be born after the service, so the age the policy asks for cannot be known.", path);
        }
    }
}
