using System.Globalization;
using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Document;
using SpinePolicy.TestKit;

namespace SpinePolicy.FhirQuestionnaire.Tests.Authoring;

/// <summary>
/// Builds every DTR artefact we publish (fhir-resources/{Type}-{id}.json) from the policy document
/// and the CQL/ELM sources in tests/cql/library. The committed files are the product; this builder
/// is how they are made and how <see cref="PublishedArtifactDriftTests"/> proves they still agree
/// with the current policy document (policy/097/policy-097-2026-01.json). Regenerate with SPINEPOLICY_WRITE_ARTIFACTS=1.
/// Each artefact's version is the newest one fhir-resources/artifact-versions.json records for it
/// (a Questionnaire's, the one the policy document names), not the policy's: an artefact whose
/// content changes gets a new version of its own while the policy revision stays the same.
/// </summary>
public sealed class PublishedArtifactBuilder(Policy policy, ArtifactVersionLedger? versions = null)
{
    private readonly ArtifactVersionLedger _versions = versions ?? ArtifactVersionLedger.Committed;

    private static readonly string[] LumbarSurgeryCodes =
    [
        "63005", "63012", "63017", "63030", "63035", "63042", "63047", "63048", "63056", "63057",
        "22533", "22558", "22612", "22614", "22630", "22633", "22634", "22857", "62380",
    ];

    /// <summary>
    /// SNOMED CT concepts of lumbar spine operations, for EHRs that record procedures in SNOMED CT
    /// rather than CPT. Enumerated (not an is-a filter) so that the Library and the payer's draft
    /// can use the value set without a terminology server.
    /// </summary>
    private static readonly (string Code, string Display)[] LumbarSurgerySnomed =
    [
        ("277764006", "Fusion of posterior lumbar spine"),
    ];

    /// <summary>Criterion code → expression of the pre-population Library that answers it.</summary>
    private static readonly Dictionary<string, string> Prepopulated = new(StringComparer.Ordinal)
    {
        ["bvna-bmi"] = "LatestBodyMassIndex",
        ["bvna-prior-lumbar-surgery"] = "PriorLumbarSurgery",
        ["bvna-pregnancy-possible"] = "PregnancyPossible",
        ["bvna-pregnancy"] = "Pregnant",
    };

    private static readonly Dictionary<string, string> GroupTitles = new(StringComparer.Ordinal)
    {
        ["P4"] = "Epidural steroid injection criteria (P4: no imaging and no pain-score threshold are required)",
        ["P5"] = "Facet joint injection criteria (P5)",
        ["P6"] = "Indications (P6)",
        ["P7"] = "Exclusions (P7: any one makes the procedure experimental and investigational)",
        ["P8"] = "Concurrent procedures (P8: BVNA performed with another procedure is experimental and investigational)",
    };

    public static string AgeExpression => "AgeInYears";

    /// <summary>The version an artefact of ours is published under (the ledger's newest for its url).</summary>
    private string VersionOf(string url) => _versions.CurrentVersion(url);

    private string Versioned(string url) => $"{url}|{VersionOf(url)}";

    private string Date => policy.Document.Effective.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// When the published version of an artefact was last changed: the date its ledger entry records,
    /// else the policy revision's effective date. FHIR's `date` changes with the business version, so
    /// a client asking for what `changedsince` a date learns of a new version.
    /// </summary>
    private string DateOf(string url) => _versions.DateOf(url, VersionOf(url)) ?? Date;

    public IReadOnlyList<Resource> BuildAll()
    {
        var resources = new List<Resource>
        {
            CriteriaCodeSystem(),
            VertebralLevelCodeSystem(),
            SpinalRegionCodeSystem(),
            VertebralLevelValueSet(),
            SpinalRegionValueSet(),
            LumbarSpineSurgeryValueSet(),
            PrepopulationLibrary(),
        };
        resources.AddRange(policy.Document.ServiceFamilies.Select(BuildQuestionnaire));
        return resources;
    }

    public static string FileName(Resource resource) => $"{resource.TypeName}-{resource.Id}.json";

    public CodeSystem CriteriaCodeSystem()
    {
        var criteria = policy.Criteria;
        return new CodeSystem
        {
            Id = IdOf(policy.Document.CriteriaSystem),
            Text = Summary($"Criteria of medical policy {policy.Document.PolicyNumber}", criteria.Select(c => $"{c.Code} ({c.Clause}, {Role(c)}): {c.Display}")),
            Url = policy.Document.CriteriaSystem,
            Version = VersionOf(policy.Document.CriteriaSystem),
            Name = $"Policy{policy.Document.PolicyNumber}Criteria",
            Title = $"Medical policy {policy.Document.PolicyNumber} criteria",
            Status = PublicationStatus.Active,
            Experimental = false,
            Date = DateOf(policy.Document.CriteriaSystem),
            Publisher = "SpinePolicy",
            Description = $"Every criterion of medical policy {policy.Document.PolicyNumber} ({policy.Document.Title}). Questionnaire items carry these codes; decisions key off them.",
            CaseSensitive = true,
            Content = CodeSystemContentMode.Complete,
            Count = criteria.Count,
            Property =
            [
                new CodeSystem.PropertyComponent { Code = "clause", Type = CodeSystem.PropertyType.String, Description = "The policy clause the criterion implements (P4, P7.8, ...)." },
                new CodeSystem.PropertyComponent { Code = "role", Type = CodeSystem.PropertyType.Code, Description = "exclusion, indication, requirement or context." },
            ],
            Concept = criteria.Select(c => new CodeSystem.ConceptDefinitionComponent
            {
                Code = c.Code,
                Display = c.Display,
                Property =
                [
                    new CodeSystem.ConceptPropertyComponent { Code = "clause", Value = new FhirString(c.Clause) },
                    new CodeSystem.ConceptPropertyComponent { Code = "role", Value = new Code(Role(c)) },
                ],
            }).ToList(),
        };
    }

    public CodeSystem VertebralLevelCodeSystem()
    {
        var levels = policy.Document.VertebralLevels;
        return new CodeSystem
        {
            Id = IdOf(policy.Document.LevelSystem),
            Text = Summary("Vertebral levels", levels.Select(l => $"{l}: {LevelDisplay(l)}")),
            Url = policy.Document.LevelSystem,
            Version = VersionOf(policy.Document.LevelSystem),
            Name = "VertebralLevel",
            Title = "Vertebral levels",
            Status = PublicationStatus.Active,
            Experimental = false,
            Date = DateOf(policy.Document.LevelSystem),
            Publisher = "SpinePolicy",
            Description = "Vertebral bodies a spine procedure may treat. T12 stands for T12 or any thoracic level above it, S2 for any level below S1 (P7.15).",
            CaseSensitive = true,
            Content = CodeSystemContentMode.Complete,
            Count = levels.Count,
            Concept = levels.Select(l => new CodeSystem.ConceptDefinitionComponent { Code = l, Display = LevelDisplay(l) }).ToList(),
        };
    }

    public CodeSystem SpinalRegionCodeSystem()
    {
        var regions = SpinalRegions();
        return new CodeSystem
        {
            Id = IdOf(DtrCanonicals.SpinalRegionSystem),
            Text = Summary("Spinal regions", regions),
            Url = DtrCanonicals.SpinalRegionSystem,
            Version = VersionOf(DtrCanonicals.SpinalRegionSystem),
            Name = "SpinalRegion",
            Title = "Spinal regions",
            Status = PublicationStatus.Active,
            Experimental = false,
            Date = DateOf(DtrCanonicals.SpinalRegionSystem),
            Publisher = "SpinePolicy",
            Description = "The spinal region an epidural steroid injection treats (P4).",
            CaseSensitive = true,
            Content = CodeSystemContentMode.Complete,
            Count = regions.Count,
            Concept = regions.Select(r => new CodeSystem.ConceptDefinitionComponent { Code = r, Display = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(r) }).ToList(),
        };
    }

    public ValueSet VertebralLevelValueSet() => WholeSystemValueSet(
        DtrCanonicals.VertebralLevelValueSet, "VertebralLevels", "Vertebral levels", "The vertebral levels a BVNA questionnaire offers (T12 to S2; T12 means T12 or above, S2 means below S1).", policy.Document.LevelSystem);

    public ValueSet SpinalRegionValueSet() => WholeSystemValueSet(
        DtrCanonicals.SpinalRegionValueSet, "SpinalRegions", "Spinal regions", "The spinal regions of an epidural steroid injection (P4).", DtrCanonicals.SpinalRegionSystem);

    public ValueSet LumbarSpineSurgeryValueSet() => new()
    {
        Id = IdOf(DtrCanonicals.LumbarSpineSurgeryValueSet),
        Text = Summary("Lumbar spine surgery (CPT, SNOMED CT)", LumbarSurgeryCodes.Select(c => $"CPT {c}").Concat(LumbarSurgerySnomed.Select(c => $"SNOMED CT {c.Code} {c.Display}"))),
        Url = DtrCanonicals.LumbarSpineSurgeryValueSet,
        Version = VersionOf(DtrCanonicals.LumbarSpineSurgeryValueSet),
        Name = "LumbarSpineSurgery",
        Title = "Lumbar spine surgery",
        Status = PublicationStatus.Active,
        Experimental = false,
        Date = DateOf(DtrCanonicals.LumbarSpineSurgeryValueSet),
        Publisher = "SpinePolicy",
        Description = "CPT codes and SNOMED CT concepts of open lumbar spine operations (decompression, discectomy, fusion, disc arthroplasty); a completed one answers P7.2 (previous lumbar spine surgery) during pre-population.",
        Compose = new ValueSet.ComposeComponent
        {
            Include =
            [
                new ValueSet.ConceptSetComponent
                {
                    System = policy.Document.CptSystem,
                    Concept = LumbarSurgeryCodes.Select(code => new ValueSet.ConceptReferenceComponent { Code = code }).ToList(),
                },
                new ValueSet.ConceptSetComponent
                {
                    System = "http://snomed.info/sct",
                    Concept = LumbarSurgerySnomed.Select(c => new ValueSet.ConceptReferenceComponent { Code = c.Code, Display = c.Display }).ToList(),
                },
            ],
        },
    };

    public Library PrepopulationLibrary()
    {
        var cqlPath = Path.Combine(RepositoryPaths.Root, "tests", "cql", "library", "SpinePolicyPrepopulation.cql");
        var elmPath = Path.Combine(RepositoryPaths.Root, "tests", "cql", "library", "SpinePolicyPrepopulation.json");
        return new Library
        {
            Id = IdOf(DtrCanonicals.PrepopulationLibrary),
            Meta = new Meta { Profile = [DtrCanonicals.Profiles.SdcLibrary] },
            Text = Summary("Pre-population logic for the policy 097 questionnaires", ["AgeInYears (on the date of service of the Order parameter, else today)", "LatestBodyMassIndex (LOINC 39156-5, effectiveDateTime or effectivePeriod)", "PregnancyPossible", "Pregnant (Condition SNOMED CT 77386006, or the latest pregnancy status Observation LOINC 82810-3)", "PriorLumbarSurgery (CPT or SNOMED CT)"]),
            Url = DtrCanonicals.PrepopulationLibrary,
            Version = VersionOf(DtrCanonicals.PrepopulationLibrary),
            Name = DtrCanonicals.PrepopulationLibraryName,
            Title = "SpinePolicy pre-population",
            Status = PublicationStatus.Active,
            Experimental = false,
            Type = new CodeableConcept { Coding = [new Coding("http://terminology.hl7.org/CodeSystem/library-type", "logic-library", "Logic Library")] },
            Date = DateOf(DtrCanonicals.PrepopulationLibrary),
            Publisher = "SpinePolicy",
            Description = "CQL (with its ELM) that answers what an EHR record already holds: the member's age on the order's date of service, the latest BMI (dated by effectiveDateTime or effectivePeriod), pregnancy (a Condition or a pregnancy status Observation), previous lumbar spine surgery (CPT or SNOMED CT).",
            RelatedArtifact =
            [
                new RelatedArtifact
                {
                    Type = RelatedArtifact.RelatedArtifactType.DependsOn,
                    Display = "Lumbar spine surgery value set",
                    Url = DtrCanonicals.LumbarSpineSurgeryValueSet,
                    Resource = Versioned(DtrCanonicals.LumbarSpineSurgeryValueSet),
                },
            ],
            DataRequirement =
            [
                new DataRequirement { TypeElement = new Code<FHIRAllTypes>(FHIRAllTypes.Patient) },
                new DataRequirement
                {
                    TypeElement = new Code<FHIRAllTypes>(FHIRAllTypes.Observation),
                    CodeFilter = [new DataRequirement.CodeFilterComponent { Path = "code", Code = [new Coding(DtrCanonicals.Loinc, "39156-5")] }],
                },
                new DataRequirement
                {
                    TypeElement = new Code<FHIRAllTypes>(FHIRAllTypes.Observation),
                    CodeFilter = [new DataRequirement.CodeFilterComponent { Path = "code", Code = [new Coding(DtrCanonicals.Loinc, "82810-3")] }],
                },
                new DataRequirement
                {
                    TypeElement = new Code<FHIRAllTypes>(FHIRAllTypes.Condition),
                    CodeFilter = [new DataRequirement.CodeFilterComponent { Path = "code", Code = [new Coding("http://snomed.info/sct", "77386006")] }],
                },
                new DataRequirement
                {
                    TypeElement = new Code<FHIRAllTypes>(FHIRAllTypes.Procedure),
                    CodeFilter = [new DataRequirement.CodeFilterComponent { Path = "code", ValueSet = Versioned(DtrCanonicals.LumbarSpineSurgeryValueSet) }],
                },
            ],
            // The order the form documents: the Library counts the member's age on its date of
            // service, as the payer's engine does (P1, P6); a DTR client passes the order in context.
            Parameter =
            [
                new ParameterDefinition
                {
                    Name = "Order",
                    Use = OperationParameterUse.In,
                    Min = 0,
                    Max = "1",
                    Documentation = "The ServiceRequest the questionnaire documents; its occurrence[x] is the date of service the member's age is counted on (today when it states none or none is given).",
                    Type = FHIRAllTypes.ServiceRequest,
                },
            ],
            Content =
            [
                new Attachment { ContentType = "text/cql", Data = File.ReadAllBytes(cqlPath) },
                new Attachment { ContentType = "application/elm+json", Data = File.ReadAllBytes(elmPath) },
            ],
        };
    }

    public Questionnaire BuildQuestionnaire(ServiceFamilyDefinition family)
    {
        var canonical = family.Questionnaire;
        var criteria = policy.CriteriaFor(family.Code);
        var groups = new List<Questionnaire.ItemComponent> { MemberGroup(family.MinimumAge) };
        foreach (var clauseGroup in criteria.GroupBy(c => TopClause(c.Clause)))
        {
            groups.Add(new Questionnaire.ItemComponent
            {
                LinkId = $"{clauseGroup.Key.ToLowerInvariant()}-{family.Code}",
                Text = GroupTitles[clauseGroup.Key],
                Type = Questionnaire.QuestionnaireItemType.Group,
                Item = clauseGroup.Select(CriterionItem).ToList(),
            });
        }

        var lines = criteria.Select(c => $"{c.Display} ({c.Clause})");
        return new Questionnaire
        {
            Id = IdOf(canonical.Url),
            Meta = new Meta { Profile = [DtrCanonicals.Profiles.StandardQuestionnaire] },
            Text = Summary($"{family.Display}: policy {policy.Document.PolicyNumber} ({family.CriteriaClause})", lines),
            Extension = [new Extension(DtrCanonicals.Extensions.CqfLibrary, new Canonical(Versioned(DtrCanonicals.PrepopulationLibrary)))],
            Url = canonical.Url,
            Version = canonical.Version,
            Name = $"{PascalCase(family.Code)}Questionnaire{policy.Document.PolicyNumber}",
            Title = $"{family.Display}: medical policy {policy.Document.PolicyNumber}",
            Status = PublicationStatus.Active,
            Experimental = false,
            SubjectType = [ResourceType.Patient],
            Date = DateOf(canonical.Url),
            Publisher = "SpinePolicy",
            Description = $"Documentation for {family.Display.ToLowerInvariant()} under medical policy {policy.Document.PolicyNumber} ({policy.Document.Title}), clause {family.CriteriaClause}.",
            EffectivePeriod = new Period { Start = Date },
            Item = groups,
        };
    }

    /// <summary>The member group; the age item states this family's own limit only (an ESI form says nothing of BVNA's).</summary>
    private static Questionnaire.ItemComponent MemberGroup(MinimumAgeRule minimumAge) => new()
    {
        LinkId = DtrCanonicals.MemberGroupLinkId,
        Text = "Member",
        Type = Questionnaire.QuestionnaireItemType.Group,
        Item =
        [
            new Questionnaire.ItemComponent
            {
                Extension =
                [
                    InitialExpression(AgeExpression),
                    new Extension(DtrCanonicals.Extensions.Unit, new Coding(DtrCanonicals.Ucum, "a", "year")),
                ],
                LinkId = DtrCanonicals.MemberAgeLinkId,
                Code = [new Coding(DtrCanonicals.Loinc, DtrCanonicals.LoincAge, "Age")],
                Text = $"Member's age in years ({minimumAge.Clause}: {minimumAge.Years} or older)",
                Type = Questionnaire.QuestionnaireItemType.Integer,
                Required = false,
                ReadOnly = true,
            },
        ],
    };

    private Questionnaire.ItemComponent CriterionItem(CriterionDefinition criterion)
    {
        var item = new Questionnaire.ItemComponent
        {
            LinkId = criterion.Code,
            Code = [new Coding(policy.Document.CriteriaSystem, criterion.Code, criterion.Display)],
            Prefix = criterion.Clause,
            Text = criterion.Display,
            Required = criterion.Required,
        };
        switch (criterion.Type)
        {
            case CriterionType.Boolean:
                item.Type = Questionnaire.QuestionnaireItemType.Boolean;
                break;
            case CriterionType.Integer:
                item.Type = Questionnaire.QuestionnaireItemType.Integer;
                item.Extension.Add(new Extension(DtrCanonicals.Extensions.MinValue, new Integer(0)));
                if (criterion.Code.EndsWith("-percent", StringComparison.Ordinal))
                {
                    item.Extension.Add(new Extension(DtrCanonicals.Extensions.MaxValue, new Integer(100)));
                }

                item.Extension.Add(UnitOf(criterion));
                break;
            case CriterionType.Decimal:
                item.Type = Questionnaire.QuestionnaireItemType.Decimal;
                item.Extension.Add(new Extension(DtrCanonicals.Extensions.MinValue, new FhirDecimal(0)));
                item.Extension.Add(UnitOf(criterion));
                break;
            case CriterionType.Choice:
                item.Type = Questionnaire.QuestionnaireItemType.Choice;
                item.AnswerValueSet = Versioned(DtrCanonicals.SpinalRegionValueSet);
                break;
            case CriterionType.Levels:
                item.Type = Questionnaire.QuestionnaireItemType.Choice;
                item.Repeats = true;
                item.AnswerValueSet = Versioned(DtrCanonicals.VertebralLevelValueSet);
                break;
        }

        if (Prepopulated.TryGetValue(criterion.Code, out var expression))
        {
            item.Extension.Insert(0, InitialExpression(expression));
        }

        if (criterion.AskedWhen is { } gate)
        {
            // The policy's askedWhen, as plain enableWhen so that any SDC renderer follows it.
            item.EnableWhen =
            [
                new Questionnaire.EnableWhenComponent
                {
                    Question = gate.Criterion,
                    Operator = Questionnaire.QuestionnaireItemOperator.Equal,
                    Answer = new FhirBoolean(gate.EqualsValue),
                },
            ];
        }

        return item;
    }

    private static Extension InitialExpression(string name) => new(
        DtrCanonicals.Extensions.InitialExpression,
        new Expression { Language = "text/cql", Expression_ = $"\"{DtrCanonicals.PrepopulationLibraryName}\".{name}" });

    private static Extension UnitOf(CriterionDefinition criterion)
    {
        var code = criterion.Code;
        Coding unit = code.EndsWith("-percent", StringComparison.Ordinal) ? new Coding(DtrCanonicals.Ucum, "%", "percent")
            : code.EndsWith("-mm", StringComparison.Ordinal) ? new Coding(DtrCanonicals.Ucum, "mm", "millimetre")
            : code.StartsWith("facet-days", StringComparison.Ordinal) ? new Coding(DtrCanonicals.Ucum, "d", "day")
            : code == "bvna-bmi" ? new Coding(DtrCanonicals.Ucum, "kg/m2", "kilogram per square metre")
            : throw new InvalidOperationException($"No unit is defined for criterion '{code}'.");
        return new Extension(DtrCanonicals.Extensions.Unit, unit);
    }

    private ValueSet WholeSystemValueSet(string url, string name, string title, string description, string system) => new()
    {
        Id = IdOf(url),
        Text = Summary(title, [$"All codes of {system}"]),
        Url = url,
        Version = VersionOf(url),
        Name = name,
        Title = title,
        Status = PublicationStatus.Active,
        Experimental = false,
        Date = DateOf(url),
        Publisher = "SpinePolicy",
        Description = description,
        Compose = new ValueSet.ComposeComponent
        {
            Include = [new ValueSet.ConceptSetComponent { System = system, Version = VersionOf(system) }],
        },
    };

    private List<string> SpinalRegions() =>
        policy.Criteria.Where(c => c.Type == CriterionType.Choice).SelectMany(c => c.Options!).Distinct(StringComparer.Ordinal).ToList();

    private static string LevelDisplay(string level) => level switch
    {
        "S2" => "Below S1 (S2 or a lower sacral segment)",
        // P7.15 excludes every vertebra above L3: the highest level offered stands for it and any above it,
        // as S2 stands for every level below S1, so a clinician treating T11 has an answer to give.
        "T12" => "T12 or a higher thoracic vertebra",
        _ when level.StartsWith('T') => $"Thoracic vertebra {level}",
        _ when level.StartsWith('L') => $"Lumbar vertebra {level}",
        _ when level.StartsWith('S') => $"Sacral vertebra {level}",
        _ => level,
    };

    private static string Role(CriterionDefinition criterion) => criterion.Role.ToString().ToLowerInvariant();

    private static string TopClause(string clause) => clause.Split('.')[0];

    private static string IdOf(string canonical) => canonical[(canonical.LastIndexOf('/') + 1)..];

    private static string PascalCase(string code) => string.Concat(code.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    private static Narrative Summary(string title, IEnumerable<string> lines)
    {
        var div = new StringBuilder("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>");
        div.Append(WebUtility.HtmlEncode(title)).Append("</p><ul>");
        foreach (var line in lines)
        {
            div.Append("<li>").Append(WebUtility.HtmlEncode(line)).Append("</li>");
        }

        div.Append("</ul></div>");
        return new Narrative { Status = Narrative.NarrativeStatus.Generated, Div = div.ToString() };
    }
}
