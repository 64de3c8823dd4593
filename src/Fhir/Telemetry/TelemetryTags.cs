namespace SpinePolicy.Fhir.Telemetry;

/// <summary>The attribute names of our spans and metrics (docs/operations.md lists them).</summary>
public static class TelemetryTags
{
    /// <summary>Which step decided: crd (a hook's coverage answer), pas (a submit), review (a reviewer).</summary>
    public const string Stage = "spinepolicy.stage";

    /// <summary>The decision: CRD's covered/pa-needed code, or PAS's item action (certified, not-certified, pended …).</summary>
    public const string Decision = "spinepolicy.decision";

    /// <summary>The version of Medical Policy 097 that decided (P13), or "none" before the first version.</summary>
    public const string PolicyVersion = "spinepolicy.policy.version";

    public const string ProductLine = "spinepolicy.product_line";

    /// <summary>The CPT code decided on (a procedure code, not patient data).</summary>
    public const string CptCode = "spinepolicy.cpt_code";

    /// <summary>How many orders, claim items or questionnaires the span covered.</summary>
    public const string Items = "spinepolicy.items";

    /// <summary>The CDS service called (order-sign-crd …).</summary>
    public const string Hook = "spinepolicy.hook";

    /// <summary>True when a submit repeated an earlier one and got its recorded answer.</summary>
    public const string Repeat = "spinepolicy.repeat";

    /// <summary>The canonical|version of the questionnaires a package served.</summary>
    public const string Questionnaire = "spinepolicy.questionnaire";

    /// <summary>A notification delivery's result: delivered, failed, given-up, dropped.</summary>
    public const string Result = "spinepolicy.result";

    public const string HttpStatus = "http.response.status_code";

    /// <summary>The policy version attribute's value when no version was in force on the date of service.</summary>
    public const string NoPolicyVersion = "none";
}
