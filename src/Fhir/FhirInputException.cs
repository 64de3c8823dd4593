namespace SpinePolicy.Fhir;

/// <summary>Input that is not acceptable FHIR. The HTTP edge turns it into a 4xx OperationOutcome.</summary>
public sealed class FhirInputException : Exception
{
    public FhirInputException(string message) : base(message) { }

    public FhirInputException(string message, Exception innerException) : base(message, innerException) { }

    public FhirInputException() { }

    /// <summary>The FHIRPath of the element at fault, when there is one (e.g. "ServiceRequest.quantity").</summary>
    public string? Expression { get; init; }
}
