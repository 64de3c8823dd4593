namespace SpinePolicy.Storage;

/// <summary>
/// Remembers JWT ids until they expire, so a token cannot be replayed. Backed by the database so
/// that several instances on one PostgreSQL share it.
/// </summary>
public interface IReplayCache
{
    /// <summary>True when the id was new and is now recorded; false when it was seen before.</summary>
    Task<bool> TryRecordAsync(string issuer, string tokenId, DateTimeOffset expires, CancellationToken cancellationToken);
}
