namespace SpinePolicy.Storage;

/// <summary>
/// A value the database cannot hold or compare, such as a NUL character (PostgreSQL text refuses
/// it): the client's input, so HTTP 400 at the edge, never an outage.
/// </summary>
public sealed class UnstorableValueException(string message, Exception? inner) : Exception(message, inner)
{
    public UnstorableValueException() : this("The value cannot be stored.", null) { }
}
