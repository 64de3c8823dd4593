using Hl7.Fhir.Model;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.FhirRest.PayerToPayer;

/// <summary>The four inputs of HRex $member-match.</summary>
internal sealed record MemberMatchRequest(Patient MemberPatient, Coverage CoverageToMatch, Coverage? CoverageToLink, Consent Consent)
{
    /// <summary>Reads the Parameters; a missing or mistyped part is a 400 that names it.</summary>
    public static MemberMatchRequest From(Parameters parameters)
    {
        OperationParameters.Check(parameters, "Patient/$member-match", ["MemberPatient", "CoverageToMatch", "CoverageToLink", "Consent"]);
        return new MemberMatchRequest(
            Required<Patient>(parameters, "MemberPatient"),
            Required<Coverage>(parameters, "CoverageToMatch"),
            Optional<Coverage>(parameters, "CoverageToLink"),
            Required<Consent>(parameters, "Consent"));
    }

    private static T Required<T>(Parameters parameters, string name) where T : Resource =>
        Optional<T>(parameters, name) ?? throw FhirHttpException.BadRequest($"Parameter '{name}' ({typeof(T).Name}) is required.");

    private static T? Optional<T>(Parameters parameters, string name) where T : Resource
    {
        var matching = parameters.Parameter.Where(p => p.Name == name).ToList();
        if (matching.Count > 1)
        {
            throw FhirHttpException.BadRequest($"Parameter '{name}' may appear only once.");
        }

        if (matching.Count == 0)
        {
            return null;
        }

        return matching[0].Resource as T
            ?? throw FhirHttpException.BadRequest($"Parameter '{name}' must hold a {typeof(T).Name} resource.");
    }
}
