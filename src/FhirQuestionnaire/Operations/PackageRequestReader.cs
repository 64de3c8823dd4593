using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>Reads and checks the $questionnaire-package Parameters (JSON straight, XML from Firely's parse); anything malformed is a 400.</summary>
internal static class PackageRequestReader
{
    private const string Operation = "Questionnaire/$questionnaire-package";

    /// <summary>The inputs of DTR 2.0.1's OperationDefinition questionnaire-package.</summary>
    private static readonly string[] KnownNames = ["coverage", "order", "referenced", "questionnaire", "context", "changedsince"];

    public static PackageRequest Read(Resource input)
    {
        if (input is not Parameters parameters)
        {
            throw FhirHttpException.BadRequest($"$questionnaire-package takes a Parameters resource, not {input.TypeName}.");
        }

        OperationParameters.Check(parameters, Operation, KnownNames);
        var found = new Inputs();
        foreach (var parameter in parameters.Parameter)
        {
            switch (parameter.Name)
            {
                case "coverage":
                    found.Coverages.Add(parameter.Resource as Coverage ?? throw FhirHttpException.BadRequest("Parameter 'coverage' must hold a Coverage resource."));
                    break;
                case "order":
                    found.Orders.Add(parameter.Resource ?? throw FhirHttpException.BadRequest("Parameter 'order' must hold a request resource (e.g. a ServiceRequest)."));
                    break;
                case "referenced":
                    found.Referenced.Add(parameter.Resource ?? throw FhirHttpException.BadRequest("Parameter 'referenced' must hold a resource."));
                    break;
                case "questionnaire":
                    found.Questionnaires.Add(parameter.Value switch
                    {
                        Canonical { Value: { Length: > 0 } canonical } => canonical,
                        FhirUri { Value: { Length: > 0 } uri } => uri,
                        _ => throw FhirHttpException.BadRequest("Parameter 'questionnaire' must hold a canonical URL (valueCanonical)."),
                    });
                    break;
                case "context":
                    found.Context = parameter.Value is FhirString { Value: { Length: > 0 } id } ? id : throw FhirHttpException.BadRequest("Parameter 'context' must hold a string (the CRD coverage-assertion-id).");
                    break;
                case "changedsince":
                    found.ChangedSince = parameter.Value switch
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

        return found.Complete();
    }

    /// <summary>
    /// The Parameters straight from its JSON: each parameter's name and value, the Coverage's id,
    /// status, identifiers, beneficiary, payors, plan classes and contained resources, a
    /// ServiceRequest order's elements the facts use (<see cref="OrderJsonReader"/>), checked as
    /// strictly as Firely checks them; referenced resources, contained ones and orders of other
    /// types are parsed whole. Elements nothing reads are not looked at.
    /// </summary>
    public static PackageRequest Read(JsonElement input)
    {
        if (OrderJsonReader.TypeOf(input) is not "Parameters")
        {
            throw FhirHttpException.BadRequest($"$questionnaire-package takes a Parameters resource, not {OrderJsonReader.TypeOf(input) ?? "a JSON object without a resourceType"}.");
        }

        OperationParameters.Check(input, Operation, KnownNames);
        var found = new Inputs();
        foreach (var (parameter, at) in JsonFields.Objects(input, "parameter", "Parameters.parameter"))
        {
            var name = JsonFields.OptionalString(parameter, "name", $"{at}.name");
            var resource = JsonFields.OptionalObject(parameter, "resource", $"{at}.resource");
            switch (name)
            {
                case "coverage":
                    found.Coverages.Add(resource is { } coverage && OrderJsonReader.TypeOf(coverage) == "Coverage"
                        ? ReadCoverage(coverage, $"{at}.resource")
                        : throw FhirHttpException.BadRequest("Parameter 'coverage' must hold a Coverage resource."));
                    break;
                case "order":
                    found.Orders.Add(resource is { } order
                        ? ReadOrder(order, $"{at}.resource")
                        : throw FhirHttpException.BadRequest("Parameter 'order' must hold a request resource (e.g. a ServiceRequest)."));
                    break;
                case "referenced":
                    found.Referenced.Add(resource is { } sent
                        ? FhirJson.ParseElement(sent)
                        : throw FhirHttpException.BadRequest("Parameter 'referenced' must hold a resource."));
                    break;
                case "questionnaire":
                    found.Questionnaires.Add((Value(parameter, "valueCanonical") ?? Value(parameter, "valueUri")) is { } canonical
                        ? canonical
                        : throw FhirHttpException.BadRequest("Parameter 'questionnaire' must hold a canonical URL (valueCanonical)."));
                    break;
                case "context":
                    found.Context = Value(parameter, "valueString") ?? throw FhirHttpException.BadRequest("Parameter 'context' must hold a string (the CRD coverage-assertion-id).");
                    break;
                case "changedsince":
                    found.ChangedSince = ChangedSince(parameter);
                    break;
                default:
                    throw FhirHttpException.BadRequest($"Parameter '{name}' is not a parameter of $questionnaire-package.");
            }
        }

        return found.Complete();
    }

    /// <summary>A non-empty string value[x] of a parameter; null when it has none of that type.</summary>
    private static string? Value(JsonElement parameter, string name) =>
        parameter.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static DateTimeOffset ChangedSince(JsonElement parameter)
    {
        if (Value(parameter, "valueInstant") is { } instant && Instant.IsValidValue(instant) && new FhirDateTime(instant).TryToDateTimeOffset(out var at))
        {
            return at;
        }

        if (Value(parameter, "valueDateTime") is { } dateTime && FhirDateTime.IsValidValue(dateTime) && new FhirDateTime(dateTime).TryToDateTimeOffset(out var parsed))
        {
            return parsed;
        }

        throw FhirHttpException.BadRequest("Parameter 'changedsince' must hold an instant.");
    }

    /// <summary>The Coverage elements the package uses: product line (P3), the draft's subject and context, the member's Patient.</summary>
    private static Coverage ReadCoverage(JsonElement json, string path)
    {
        var read = new ResourceElements(json, path);
        var coverage = new Coverage
        {
            Id = read.Id(),
            Identifier = read.ComplexList<Identifier>("identifier"),
            Payor = read.ComplexList<ResourceReference>("payor"),
            Class = read.ComplexList<Coverage.ClassComponent>("class"),
        };
        if (read.Complex<ResourceReference>("beneficiary") is { } beneficiary)
        {
            coverage.Beneficiary = beneficiary;
        }

        var status = JsonFields.OptionalString(json, "status", $"{path}.status");
        if (status is not null)
        {
            coverage.Status = EnumUtility.ParseLiteral<FinancialResourceStatusCodes>(status)
                ?? throw FhirHttpException.BadRequest($"{path}.status '{status}' is not a Coverage status (active, cancelled, draft, entered-in-error).", $"{path}.status");
        }

        foreach (var contained in read.Array("contained"))
        {
            coverage.Contained.Add(FhirJson.ParseElement(contained));
        }

        return read.Defect is { } defect ? throw FhirHttpException.BadRequest(defect.Message, defect.Path) : coverage;
    }

    private static Resource ReadOrder(JsonElement json, string path)
    {
        if (OrderJsonReader.TypeOf(json) != "ServiceRequest")
        {
            return FhirJson.ParseElement(json);
        }

        var order = OrderJsonReader.ServiceRequest(json, path);
        return order.FirstDefect is { } defect ? throw FhirHttpException.BadRequest(defect.Message, defect.Path) : order.Resource;
    }

    /// <summary>The parameters met so far, whichever way the request was read.</summary>
    private sealed class Inputs
    {
        public List<Coverage> Coverages { get; } = [];

        public List<Resource> Orders { get; } = [];

        public List<Resource> Referenced { get; } = [];

        public List<string> Questionnaires { get; } = [];

        public string? Context { get; set; }

        public DateTimeOffset? ChangedSince { get; set; }

        public PackageRequest Complete()
        {
            if (Coverages.Count == 0)
            {
                throw FhirHttpException.BadRequest("Parameter 'coverage' is required: the member's Coverage identifies who the documentation is for.");
            }

            if (Orders.Count == 0 && Questionnaires.Count == 0 && Context is null)
            {
                // DTR 2.0.1 dtr-1: at least one of order, questionnaire and context.
                throw FhirHttpException.BadRequest("At least one of 'order', 'questionnaire' and 'context' is required.");
            }

            return new PackageRequest(Coverages[0], Orders, Referenced, Questionnaires, Context, ChangedSince) { Coverages = Coverages };
        }
    }
}
