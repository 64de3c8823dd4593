namespace SpinePolicy.FhirQuestionnaire.Artifacts;

/// <summary>
/// Canonical URLs of what we publish for DTR, and of the HL7 profiles and extensions we use. The
/// policy document owns the criteria and level systems; everything else is named here once.
/// </summary>
internal static class DtrCanonicals
{
    public const string Base = "https://spinepolicy.example.org/fhir";

    public const string PrepopulationLibrary = Base + "/Library/spinepolicy-prepopulation";
    public const string PrepopulationLibraryName = "SpinePolicyPrepopulation";
    public const string VertebralLevelValueSet = Base + "/ValueSet/vertebral-level";
    public const string SpinalRegionSystem = Base + "/CodeSystem/spinal-region";
    public const string SpinalRegionValueSet = Base + "/ValueSet/spinal-region";
    public const string LumbarSpineSurgeryValueSet = Base + "/ValueSet/lumbar-spine-surgery";

    /// <summary>The item that carries the member's age (not a criterion: the engine gets it as a fact).</summary>
    public const string MemberAgeLinkId = "member-age";
    public const string MemberGroupLinkId = "member";

    public const string Loinc = "http://loinc.org";
    public const string LoincAge = "30525-0";
    public const string Ucum = "http://unitsofmeasure.org";

    public static class Profiles
    {
        public const string StandardQuestionnaire = "http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/dtr-std-questionnaire";
        public const string AdaptiveQuestionnaire = "http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/dtr-questionnaire-adapt";
        public const string AdaptiveSearchQuestionnaire = "http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/dtr-questionnaire-adapt-search";
        public const string QuestionnaireResponse = "http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/dtr-questionnaireresponse";
        public const string PackageBundle = "http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/DTR-QPackageBundle";
        public const string PackageOutput = "http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/dtr-qpackage-output-parameters";
        public const string SdcLibrary = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-library";
        public const string NextQuestionOutput = "http://hl7.org/fhir/uv/sdc/StructureDefinition/parameters-questionnaire-next-question-out";
        public const string AdaptiveResponse = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaireresponse-adapt";
    }

    public static class Extensions
    {
        public const string CqfLibrary = "http://hl7.org/fhir/StructureDefinition/cqf-library";
        public const string InitialExpression = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-initialExpression";
        public const string QuestionnaireAdaptive = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-questionnaireAdaptive";
        public const string Unit = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit";
        public const string MinValue = "http://hl7.org/fhir/StructureDefinition/minValue";
        public const string MaxValue = "http://hl7.org/fhir/StructureDefinition/maxValue";
        public const string InformationOrigin = "http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/information-origin";
        public const string QrContext = "http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/qr-context";
        public const string IntendedUse = "http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/intendedUse";
        public const string CoverageInformation = SpinePolicy.Fhir.CoverageInformation.CoverageInformationExtension.Url;
    }

    /// <summary>CRD's temporary code system (DocReason, coverage codes).</summary>
    public const string CrdTemp = "http://hl7.org/fhir/us/davinci-crd/CodeSystem/temp";
}
