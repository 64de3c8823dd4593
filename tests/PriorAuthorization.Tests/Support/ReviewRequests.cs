using Hl7.Fhir.Model;

namespace SpinePolicy.PriorAuthorization.Tests.Support;

/// <summary>$review Parameters beyond single item decisions.</summary>
public static class ReviewRequests
{
    /// <summary>An "extendTimeframe" parameter: by how many days, and why (either may be left out to test the refusal).</summary>
    public static Parameters Extension(int? days, string? reason)
    {
        var parts = new List<Tuple<string, Base>>();
        if (days is not null)
        {
            parts.Add(Tuple.Create("days", (Base)new Integer(days)));
        }

        if (reason is not null)
        {
            parts.Add(Tuple.Create("reason", (Base)new FhirString(reason)));
        }

        var parameters = new Parameters();
        parameters.Add("extendTimeframe", parts);
        return parameters;
    }
}
