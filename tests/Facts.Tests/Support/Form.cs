using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.PolicyEngine;

namespace SpinePolicy.Facts.Tests.Support;

/// <summary>
/// A QuestionnaireResponse to one of the published questionnaires as a DTR app fills it: answers by
/// criterion code (found on the items, never by linkId), nested as the questionnaire groups them,
/// with the Coverage and the orders contained and named by DTR's qr-context.
/// </summary>
public sealed class Form(Policy policy, IQuestionnaireCatalog catalog, string family)
{
    private const string QrContext = "http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/qr-context";
    private const string MemberAgeLinkId = "member-age";
    private readonly Dictionary<string, List<DataType>> _answers = new(StringComparer.Ordinal);

    public static Form ApprovableBvna(Policy policy, IQuestionnaireCatalog catalog, params string[] levels) => new Form(policy, catalog, "bvna")
        .Yes("bvna-chronic-low-back-pain-6-months", "bvna-failed-conservative-care-6-months", "bvna-modic-changes-l3-s1")
        .No("bvna-radicular-pain", "bvna-prior-lumbar-surgery", "bvna-symptomatic-spinal-stenosis", "bvna-spine-or-systemic-infection",
            "bvna-osteoporosis-or-fragility-fracture", "bvna-vertebral-fracture-past-year", "bvna-spine-malignancy", "bvna-spondylolisthesis",
            "bvna-spondylolysis", "bvna-severe-cardiopulmonary-disease", "bvna-poorly-controlled-psychiatric-disease",
            "bvna-bedbound-or-immobilizing-neurologic-condition", "bvna-pregnancy-possible", "bvna-prior-bvna")
        .Number("bvna-bmi", 31.5m)
        .Levels("bvna-treated-levels", levels.Length > 0 ? levels : ["L4", "L5"]);

    public static Form ApprovableEsi(Policy policy, IQuestionnaireCatalog catalog) => new Form(policy, catalog, "esi")
        .Yes("esi-radicular-pain-or-neurogenic-claudication")
        .Set("esi-spinal-region", new Coding("https://spinepolicy.example.org/fhir/CodeSystem/spinal-region", "lumbar"));

    public Form Yes(params string[] codes) => SetEach(codes, true);

    public Form No(params string[] codes) => SetEach(codes, false);

    public Form Number(string code, decimal value) => Set(code, new FhirDecimal(value));

    public Form Levels(string code, params string[] levels) =>
        Set(code, [.. levels.Select(l => (DataType)new Coding(policy.Document.LevelSystem, l))]);

    public Form Without(string code)
    {
        _answers.Remove(code);
        return this;
    }

    /// <summary>The member-age item (not a criterion: the form states the age on the date of service).</summary>
    public Form Age(int years) => Set(MemberAgeLinkId, new Integer(years));

    public Form Set(string code, params DataType[] values)
    {
        _answers[code] = [.. values];
        return this;
    }

    public Questionnaire Questionnaire => catalog.Find(policy.Family(family).Questionnaire.Versioned)!;

    /// <summary>
    /// The response for this member and these orders. With <paramref name="containPatient"/> the
    /// subject is the contained Patient (so its birth date travels with the form).
    /// </summary>
    public QuestionnaireResponse Build(Member member, IReadOnlyList<Order> orders, bool containPatient = false)
    {
        var questionnaire = Questionnaire;
        var response = new QuestionnaireResponse
        {
            Id = $"form-{family}",
            Questionnaire = $"{questionnaire.Url}|{questionnaire.Version}",
            Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
            Subject = new ResourceReference(containPatient ? $"#{member.Id}" : $"Patient/{member.Id}"),
            Contained = [member.Coverage("coverage")],
            Extension = [new Extension(QrContext, new ResourceReference("#coverage"))],
            AuthoredElement = new FhirDateTime(DateTimeOffset.UtcNow),
            Item = Items(questionnaire.Item),
        };
        if (containPatient)
        {
            response.Contained.Add(member.Patient());
        }

        foreach (var order in orders)
        {
            response.Contained.Add(order.ServiceRequest(member.Id));
            response.Extension.Add(new Extension(QrContext, new ResourceReference($"#{order.Id}")));
        }

        return response;
    }

    private Form SetEach(string[] codes, bool value)
    {
        foreach (var code in codes)
        {
            Set(code, new FhirBoolean(value));
        }

        return this;
    }

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

                continue;
            }

            var key = definition.LinkId == MemberAgeLinkId
                ? MemberAgeLinkId
                : definition.Code.FirstOrDefault(c => c.System == policy.Document.CriteriaSystem)?.Code;
            if (key is not null && _answers.TryGetValue(key, out var values))
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
