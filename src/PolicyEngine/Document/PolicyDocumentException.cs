namespace SpinePolicy.PolicyEngine.Document;

/// <summary>A policy document that cannot be used; the message names the offending field.</summary>
public sealed class PolicyDocumentException : Exception
{
    public PolicyDocumentException(string message) : base(message) { }

    public PolicyDocumentException(string message, Exception innerException) : base(message, innerException) { }

    public PolicyDocumentException() { }
}
