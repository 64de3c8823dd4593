using Hl7.Fhir.Model;

namespace SpinePolicy.FhirQuestionnaire.Artifacts;

/// <summary>Walks a Questionnaire's nested items in document order.</summary>
internal static class QuestionnaireItems
{
    public static IEnumerable<Questionnaire.ItemComponent> Flatten(IEnumerable<Questionnaire.ItemComponent> items)
    {
        foreach (var item in items)
        {
            yield return item;
            foreach (var child in Flatten(item.Item))
            {
                yield return child;
            }
        }
    }
}
