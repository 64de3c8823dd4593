namespace SpinePolicy.Fhir;

/// <summary>Input that is not acceptable FHIR. The HTTP edge turns it into a 4xx OperationOutcome.</summary>
public sealed class FhirInputException : Exception
{
    public FhirInputException(string message) : base(message) { }

    public FhirInputException(string message, Exception innerException) : base(message, innerException) { }

    public FhirInputException() { }
}
