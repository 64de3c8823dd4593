using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.PolicyEngine;

namespace SpinePolicy.PriorAuthorization.Tests.Support;

/// <summary>
/// Used only while the host registers no questionnaire catalog of its own (before the DTR slice is
/// merged): one questionnaire per service family, one item per criterion, each item coded with its
/// criterion code, under the canonical URL and version the policy names.
/// </summary>
public sealed class InterimQuestionnaireCatalog : IQuestionnaireCatalog
{
    private readonly List<Questionnaire> _all = [];

    public InterimQuestionnaireCatalog(Policy policy)
    {
        foreach (var family in policy.Document.ServiceFamilies)
        {
            var questionnaire = new Questionnaire
            {
                Id = $"{family.Code}-097",
                Url = family.Questionnaire.Url,
                Version = family.Questionnaire.Version,
                Status = PublicationStatus.Active,
            };
            foreach (var criterion in policy.CriteriaFor(family.Code))
            {
                questionnaire.Item.Add(new Questionnaire.ItemComponent
                {
                    LinkId = $"q-{criterion.Code}",
                    Text = criterion.Display,
                    Code = [new Coding(policy.Document.CriteriaSystem, criterion.Code)],
                    Type = Questionnaire.QuestionnaireItemType.String,
                });
            }

            _all.Add(questionnaire);
        }
    }

    public IReadOnlyList<Questionnaire> All => _all;

    public Questionnaire? Find(string canonical)
    {
        var parts = canonical.Split('|');
        return _all.FirstOrDefault(q => q.Url == parts[0] && (parts.Length == 1 || q.Version == parts[1]));
    }
}
