using Hl7.Fhir.Model;
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
}
