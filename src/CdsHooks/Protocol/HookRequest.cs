using System.Text.Json;

namespace SpinePolicy.CdsHooks.Protocol;

/// <summary>
/// A CDS Hooks 2.0 request as the service uses it. Context and prefetch stay JSON: each hook reads
/// the context fields it knows, and FHIR resources are parsed one at a time, so that a defect in a
/// resource the service does not need cannot fail the call.
/// </summary>
internal sealed record HookRequest
{
    public required string Hook { get; init; }

    public required string HookInstance { get; init; }

    /// <summary>
    /// The hookInstance as the log may show it: CDS Hooks makes it a UUID, and only a UUID is
    /// written. Any other text is the caller's and could be anything, a member id included
    /// (the 10,000-input fuzz run found one in the log).
    /// </summary>
    public string LoggableHookInstance => Guid.TryParse(HookInstance, out var uuid) ? uuid.ToString() : "(not a UUID)";

    public Uri? FhirServer { get; init; }

    /// <summary>The bearer token for <see cref="FhirServer"/>. Never logged.</summary>
    public string? AccessToken { get; init; }

    public required JsonElement Context { get; init; }

    /// <summary>Prefetch keys with a non-null value.</summary>
    public required IReadOnlyDictionary<string, JsonElement> Prefetch { get; init; }

    public JsonElement? Extension { get; init; }

    /// <summary>True when missing data can be fetched (CDS Hooks: fhirServer and fhirAuthorization both given).</summary>
    public bool CanFetch => FhirServer is not null && AccessToken is not null;

    public string? PatientId => ContextString("patientId");

    public string? ContextString(string name) =>
        Context.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public JsonElement? ContextElement(string name) =>
        Context.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? value : null;
}
