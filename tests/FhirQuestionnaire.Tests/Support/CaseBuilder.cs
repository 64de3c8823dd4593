using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.FhirQuestionnaire.Tests.Authoring;

namespace SpinePolicy.FhirQuestionnaire.Tests.Support;

/// <summary>
/// Builds a QuestionnaireResponse to one of our questionnaires the way a DTR app would: answers
/// nested as the questionnaire groups them, the Coverage and the order contained and named by
/// DTR's qr-context. Starts from a case the policy approves; each test changes what it is about.
/// </summary>
public sealed class CaseBuilder
{
    private readonly Questionnaire _questionnaire;
    private readonly Dictionary<string, List<DataType>> _answers = new(StringComparer.Ordinal);
    private readonly List<(string Code, int Units)> _orders = [];
    private string _plan = "MGB-COMMERCIAL";
    private string _patientId = "patient-1";

    private CaseBuilder(string questionnaireId, string cptCode)
    {
        _questionnaire = ArtifactFiles.Questionnaire(questionnaireId);
        _orders.Add((cptCode, 1));
    }

    public static CaseBuilder ApprovableBvna() => new CaseBuilder("bvna-097", "64628")
        .Age(45)
        .With("bvna-chronic-low-back-pain-6-months", true)
        .With("bvna-failed-conservative-care-6-months", true)
        .With("bvna-modic-changes-l3-s1", true)
        .With("bvna-radicular-pain", false)
        .With("bvna-prior-lumbar-surgery", false)
        .With("bvna-symptomatic-spinal-stenosis", false)
        .With("bvna-spine-or-systemic-infection", false)
        .With("bvna-osteoporosis-or-fragility-fracture", false)
        .With("bvna-vertebral-fracture-past-year", false)
        .With("bvna-spine-malignancy", false)
        .With("bvna-spondylolisthesis", false)
        .With("bvna-spondylolysis", false)
        .With("bvna-severe-cardiopulmonary-disease", false)
        .WithDecimal("bvna-bmi", 31.5m)
        .With("bvna-poorly-controlled-psychiatric-disease", false)
        .With("bvna-bedbound-or-immobilizing-neurologic-condition", false)
        .With("bvna-pregnancy-possible", false)
        .WithLevels("bvna-treated-levels", "L4", "L5")
        .With("bvna-prior-bvna", false);

    public static CaseBuilder ApprovableFacet() => new CaseBuilder("facet-097", "64493")
        .Age(52)
        .With("facet-suspected-facet-mediated-pain", true)
        .With("facet-prior-injection-same-level", true)
        .WithInteger("facet-prior-relief-percent", 80)
        .WithInteger("facet-days-since-last-injection", 30);

    public static CaseBuilder ApprovableEsi() => new CaseBuilder("esi-097", "62323")
        .Age(60)
        .With("esi-radicular-pain-or-neurogenic-claudication", true)
        .WithCodes("esi-spinal-region", DtrCanonicals.SpinalRegionSystem, "lumbar");

    public static CaseBuilder Empty(string questionnaireId, string cptCode) => new(questionnaireId, cptCode);

    public CaseBuilder Age(int? years)
    {
        _answers.Remove(DtrCanonicals.MemberAgeLinkId);
        return years is { } y ? Set(DtrCanonicals.MemberAgeLinkId, new Integer(y)) : this;
    }

    public CaseBuilder Plan(string plan)
    {
        _plan = plan;
        return this;
    }

    public CaseBuilder Patient(string id)
    {
        _patientId = id;
        return this;
    }

    public CaseBuilder AlsoOrdered(string cptCode, int units = 1)
    {
        _orders.Add((cptCode, units));
        return this;
    }

    public CaseBuilder With(string linkId, bool value) => Set(linkId, new FhirBoolean(value));

    public CaseBuilder WithDecimal(string linkId, decimal value) => Set(linkId, new FhirDecimal(value));

    public CaseBuilder WithInteger(string linkId, int value) => Set(linkId, new Integer(value));

    public CaseBuilder WithLevels(string linkId, params string[] levels) =>
        Set(linkId, levels.Select(l => (DataType)new Coding(ArtifactFiles.Policy.Document.LevelSystem, l)).ToArray());

    public CaseBuilder WithCodes(string linkId, string system, params string[] codes) =>
        Set(linkId, codes.Select(c => (DataType)new Coding(system, c)).ToArray());

    public CaseBuilder Without(string linkId)
    {
        _answers.Remove(linkId);
        return this;
    }

    /// <summary>The scripted answer to an item, as a clinician would give it when asked.</summary>
    public IReadOnlyList<DataType>? AnswerFor(string linkId) => _answers.GetValueOrDefault(linkId);

    public QuestionnaireResponse Build()
    {
        var response = new QuestionnaireResponse
        {
            Id = "case",
            Questionnaire = $"{_questionnaire.Url}|{_questionnaire.Version}",
            Status = QuestionnaireResponse.QuestionnaireResponseStatus.InProgress,
            Subject = new ResourceReference($"Patient/{_patientId}"),
            Contained = [Coverage()],
            Extension = [new Extension(DtrCanonicals.Extensions.QrContext, new ResourceReference("#coverage"))],
            Item = Items(_questionnaire.Item),
        };
        for (var i = 0; i < _orders.Count; i++)
        {
            var (code, units) = _orders[i];
            response.Contained.Add(new ServiceRequest
            {
                Id = $"order-{i}",
                Status = RequestStatus.Draft,
                Intent = RequestIntent.Order,
                Code = new CodeableConcept(ArtifactFiles.Policy.Document.CptSystem, code),
                Quantity = new Quantity(units, "1"),
                Subject = new ResourceReference($"Patient/{_patientId}"),
                AuthoredOn = "2026-03-02",
                Requester = new ResourceReference { Display = "Ordering clinician" },
            });
            response.Extension.Add(new Extension(DtrCanonicals.Extensions.QrContext, new ResourceReference($"#order-{i}")));
        }

        return response;
    }

    private CaseBuilder Set(string linkId, params DataType[] values)
    {
        _answers[linkId] = values.ToList();
        return this;
    }

    private Coverage Coverage() => new()
    {
        Id = "coverage",
        Status = FinancialResourceStatusCodes.Active,
        SubscriberId = $"member-{_patientId}",
        Beneficiary = new ResourceReference($"Patient/{_patientId}"),
        Payor = [new ResourceReference { Display = "SpinePolicy health plan" }],
        Class =
        [
            new Coverage.ClassComponent
            {
                Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/coverage-class", "plan"),
                Value = _plan,
            },
        ],
    };

    private List<QuestionnaireResponse.ItemComponent> Items(List<Questionnaire.ItemComponent> definitions)
    {
        var items = new List<QuestionnaireResponse.ItemComponent>();
        foreach (var definition in definitions)
        {
            if (definition.Type == Questionnaire.QuestionnaireItemType.Group)
            {
                var children = Items(definition.Item);
                if (children.Count > 0)
                {
                    items.Add(new QuestionnaireResponse.ItemComponent { LinkId = definition.LinkId, Item = children });
                }
            }
            else if (_answers.TryGetValue(definition.LinkId!, out var values))
            {
                items.Add(new QuestionnaireResponse.ItemComponent
                {
                    LinkId = definition.LinkId,
                    Text = definition.Text,
                    Answer = values.Select(v => new QuestionnaireResponse.AnswerComponent { Value = (DataType)v.DeepCopy() }).ToList(),
                });
            }
        }

        return items;
    }
}
