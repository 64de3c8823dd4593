namespace SpinePolicy.DtrApp;

/// <summary>
/// Whether the app must sign its user in to this payer's authorization server before it calls the
/// payer's FHIR API: true when that API needs tokens and its SMART configuration names an
/// authorization endpoint. The host decides (it sees both settings); false by default, the open API
/// of a developer's machine.
/// </summary>
public sealed record PayerSignIn(bool Required);
