namespace SpinePolicy.CdsHooks.Services;

/// <summary>
/// The prefetch keys and templates the services advertise (CDS Hooks 2.0 prefetch tokens; queries
/// as CRD 2.0.1 suggests). The same key names are read back from requests.
/// </summary>
internal static class PrefetchTemplates
{
    public const string PatientKey = "patient";
    public const string CoverageKey = "coverage";
    public const string OrdersKey = "serviceRequestBundle";
    public const string AppointmentOrdersKey = "appointmentOrders";
    public const string EncounterOrdersKey = "encounterOrders";
    public const string EncounterKey = "encounter";
    public const string PerformerKey = "performer";

    public const string Patient = "Patient/{{context.patientId}}";

    /// <summary>CRD: the member's active coverage(s).</summary>
    public const string Coverage = "Coverage?patient={{context.patientId}}&status=active";

    /// <summary>The ordering and performing clinicians and their organizations travel with the orders.</summary>
    private const string OrderIncludes =
        "&_include=ServiceRequest:requester&_include=ServiceRequest:performer" +
        "&_include:iterate=PractitionerRole:practitioner&_include:iterate=PractitionerRole:organization";

    public const string DraftServiceRequests = "ServiceRequest?_id={{context.draftOrders.ServiceRequest.id}}" + OrderIncludes;

    public const string DispatchedServiceRequests = "ServiceRequest?_id={{context.dispatchedOrders.ServiceRequest.id}}" + OrderIncludes;

    public const string PatientServiceRequests = "ServiceRequest?patient={{context.patientId}}&status=active" + OrderIncludes;

    public const string EncounterServiceRequests = "ServiceRequest?encounter={{context.encounterId}}" + OrderIncludes;

    public const string Encounter = "Encounter/{{context.encounterId}}";

    public const string Performer = "{{context.performer}}";

    public static Dictionary<string, string> Member() => new(StringComparer.Ordinal)
    {
        [PatientKey] = Patient,
        [CoverageKey] = Coverage,
    };
}
