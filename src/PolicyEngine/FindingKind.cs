namespace SpinePolicy.PolicyEngine;

public enum FindingKind
{
    /// <summary>P3: prior authorization is required for this product line.</summary>
    PriorAuthorizationRequired,

    /// <summary>P3: no prior authorization is required for this product line.</summary>
    NoPriorAuthorizationRequired,

    /// <summary>P3/P10: the service is not payable for this product line.</summary>
    NotPayable,

    /// <summary>The member's product line is not one the policy knows.</summary>
    UnknownProductLine,

    /// <summary>The member's age on the date of service is not known (or a partial birth date straddles a limit), so age limits cannot be checked.</summary>
    AgeUnknown,

    /// <summary>P1/P6: the member is younger than the policy's minimum age.</summary>
    BelowMinimumAge,

    /// <summary>P2: an add-on code was ordered without its primary code.</summary>
    AddOnWithoutPrimary,

    /// <summary>P8: BVNA ordered together with another spine procedure.</summary>
    ConcurrentProcedure,

    /// <summary>More units than the policy allows (e.g. 64629 beyond the L3–S1 range).</summary>
    UnitsBeyondLimit,

    /// <summary>P7: an exclusion is present: experimental and investigational.</summary>
    ExclusionPresent,

    /// <summary>A threshold the policy states is not met: not medically necessary.</summary>
    RequirementNotMet,

    /// <summary>An indication is not documented as met: clinical review.</summary>
    IndicationNotMet,

    /// <summary>A required answer is missing: the request pends.</summary>
    InformationMissing,

    /// <summary>The policy leaves the decision to a clinician (InterQual beyond the policy text).</summary>
    ClinicalReviewRequired,

    /// <summary>The answers are inconsistent with the questionnaire (e.g. an answer to a disabled item).</summary>
    InvalidAnswer,

    /// <summary>P9/P11: CMS guidance (NCD/LCD) is the basis for this product line.</summary>
    CmsGuidanceApplies,

    /// <summary>P8: another service may fall on the same date (a date range) or cannot be classified; a clinician decides.</summary>
    ConcurrencyUncertain,

    /// <summary>P13: no version of the policy was in force on the date of service.</summary>
    PolicyNotInForce,

    /// <summary>P13: the version in force lacks this content (only its history line is on file).</summary>
    PolicyContentNotOnFile,

    /// <summary>All criteria the policy states are met.</summary>
    CriteriaMet,

    /// <summary>Criteria only: the member's plan and the order were not given, so P3 and the order-set rules were not assessed.</summary>
    CoverageNotAssessed,

    /// <summary>P2: no loaded policy governs the service; the payer's configured default applies (<see cref="UngovernedServices"/>).</summary>
    NotGoverned,

    /// <summary>The member's Coverage is not active, or its period does not hold the date of service: eligibility is checked before a decision.</summary>
    CoverageNotInForce,
}
