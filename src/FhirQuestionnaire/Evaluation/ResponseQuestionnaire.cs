using Hl7.Fhir.Model;

namespace SpinePolicy.FhirQuestionnaire.Evaluation;

/// <summary>
/// Which published questionnaire a QuestionnaireResponse answers: its canonical, or — for an
/// adaptive form — the contained Questionnaire that was derived from one of ours.
/// </summary>
internal static class ResponseQuestionnaire
{
    public static string? CanonicalOf(QuestionnaireResponse response)
    {
        var reference = response.Questionnaire;
        if (reference is null || !reference.StartsWith('#'))
        {
            return reference;
        }

        var contained = Contained<Questionnaire>(response, reference);
        return contained?.DerivedFrom.FirstOrDefault() ?? contained?.Url;
    }

    /// <summary>The contained resource a local reference ("#id") names, if it has this type.</summary>
    public static T? Contained<T>(DomainResource resource, string? reference) where T : Resource
    {
        if (reference is null || !reference.StartsWith('#'))
        {
            return null;
        }

        var id = reference[1..];
        return resource.Contained.OfType<T>().FirstOrDefault(r => r.Id == id);
    }

    /// <summary>Every answer item in a response, however deeply nested, in document order.</summary>
    public static IEnumerable<QuestionnaireResponse.ItemComponent> Flatten(IEnumerable<QuestionnaireResponse.ItemComponent> items)
    {
        foreach (var item in items)
        {
            yield return item;
            foreach (var child in Flatten(item.Item))
            {
                yield return child;
            }

            foreach (var child in Flatten(item.Answer.SelectMany(a => a.Item)))
            {
                yield return child;
            }
        }
    }
}
