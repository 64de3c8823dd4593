namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>
/// What the clinical resources a DTR client sends as <c>referenced</c> already answer about the
/// member. Only findings are carried: the absence of a record proves nothing (a Procedure the EHR did
/// not send is not evidence that no surgery happened), so absent findings pre-fill nothing.
/// </summary>
/// <param name="BodyMassIndex">P7.11: the value of the latest final BMI Observation, kg/m2.</param>
/// <param name="PriorLumbarSurgery">P7.2: a completed lumbar spine operation is on record.</param>
/// <param name="Pregnant">P7.14: an active pregnancy Condition, or the latest pregnancy status Observation says pregnant.</param>
internal sealed record ReferencedRecord(decimal? BodyMassIndex, bool PriorLumbarSurgery, bool Pregnant)
{
    public static ReferencedRecord Empty { get; } = new(null, false, false);
}
