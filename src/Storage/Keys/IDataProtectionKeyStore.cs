namespace SpinePolicy.Storage.Keys;

/// <summary>
/// The key ring ASP.NET Core Data Protection encrypts the reviewer's session cookie, the OpenID
/// Connect sign-in state and the review forms' antiforgery tokens with, kept in the database so
/// that every instance on it reads what any other protected: a sign-in started on one instance
/// finishes on another, and a form one instance served is accepted by the next. Each key is one
/// XML document under a unique name; a key is never changed once stored (Data Protection revokes a
/// key by storing a further document).
/// </summary>
public interface IDataProtectionKeyStore
{
    /// <summary>Every stored document, oldest first.</summary>
    Task<IReadOnlyList<string>> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Stores a document under its name; a name already stored is kept as it is.</summary>
    Task StoreAsync(string name, string xml, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the first document of an empty key ring, atomically across instances: true when it
    /// was stored, false when another document was there first (so that instances starting at once
    /// on an empty database all take one key instead of each making its own).
    /// </summary>
    Task<bool> StoreFirstAsync(string name, string xml, CancellationToken cancellationToken);
}
