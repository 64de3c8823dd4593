namespace SpinePolicy.Fhir.Facts;

/// <summary>Why an element read from a resource's JSON breaks FHIR R4, and where (a FHIRPath such as "ServiceRequest.code.coding").</summary>
public sealed record ElementDefect(string Message, string Path)
{
    public override string ToString() => Message;
}
