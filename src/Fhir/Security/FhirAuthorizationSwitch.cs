namespace SpinePolicy.Fhir.Security;

/// <summary>
/// Whether FHIR API authorization is enforced. Registered by the FHIR REST slice from
/// "FhirAuthentication:Enabled"; only a deliberate setting (the Development environment) turns it off.
/// </summary>
public sealed record FhirAuthorizationSwitch(bool Enabled);
