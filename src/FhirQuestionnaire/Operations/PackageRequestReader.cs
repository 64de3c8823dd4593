using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>Reads and checks the $questionnaire-package Parameters; anything malformed is a 400.</summary>
internal static class PackageRequestReader
{
    public static PackageRequest Read(Resource input)
    {
        if (input is not Parameters parameters)
        {
            throw FhirHttpException.BadRequest($"$questionnaire-package takes a Parameters resource, not {input.TypeName}.");
        }

        var coverages = new List<Coverage>();
        var orders = new List<Resource>();
        var referenced = new List<Resource>();
        var questionnaires = new List<string>();
        string? context = null;
        DateTimeOffset? changedSince = null;
        foreach (var parameter in parameters.Parameter)
        {
            switch (parameter.Name)
            {
                case "coverage":
                    coverages.Add(parameter.Resource as Coverage ?? throw FhirHttpException.BadRequest("Parameter 'coverage' must hold a Coverage resource."));
                    break;
                case "order":
                    orders.Add(parameter.Resource ?? throw FhirHttpException.BadRequest("Parameter 'order' must hold a request resource (e.g. a ServiceRequest)."));
                    break;
                case "referenced":
                    referenced.Add(parameter.Resource ?? throw FhirHttpException.BadRequest("Parameter 'referenced' must hold a resource."));
                    break;
                case "questionnaire":
                    questionnaires.Add(parameter.Value switch
                    {
                        Canonical { Value: { Length: > 0 } canonical } => canonical,
                        FhirUri { Value: { Length: > 0 } uri } => uri,
                        _ => throw FhirHttpException.BadRequest("Parameter 'questionnaire' must hold a canonical URL (valueCanonical)."),
                    });
                    break;
                case "context":
                    context = parameter.Value is FhirString { Value: { Length: > 0 } id } ? id : throw FhirHttpException.BadRequest("Parameter 'context' must hold a string (the CRD coverage-assertion-id).");
                    break;
                case "changedsince":
                    changedSince = parameter.Value switch
                    {
                        Instant { Value: { } instant } => instant,
                        FhirDateTime dateTime when dateTime.TryToDateTimeOffset(out var parsed) => parsed,
                        _ => throw FhirHttpException.BadRequest("Parameter 'changedsince' must hold an instant."),
                    };
                    break;
                default:
                    throw FhirHttpException.BadRequest($"Parameter '{parameter.Name}' is not a parameter of $questionnaire-package.");
            }
        }

        if (coverages.Count == 0)
        {
            throw FhirHttpException.BadRequest("Parameter 'coverage' is required: the member's Coverage identifies who the documentation is for.");
        }

        if (orders.Count == 0 && questionnaires.Count == 0 && context is null)
        {
            // DTR 2.0.1 dtr-1: at least one of order, questionnaire and context.
            throw FhirHttpException.BadRequest("At least one of 'order', 'questionnaire' and 'context' is required.");
        }

        return new PackageRequest(coverages[0], orders, referenced, questionnaires, context, changedSince);
    }
}
