namespace SpinePolicy.Storage;

/// <summary>A search the store cannot run as asked, e.g. a tampered paging token (HTTP 400 at the edge).</summary>
public sealed class InvalidSearchException(string message) : Exception(message)
{
    public InvalidSearchException() : this("The search is not valid.") { }
}
