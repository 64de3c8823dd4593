using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Internal;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using SpinePolicy.Storage.Keys;

namespace SpinePolicy.Server.Hosting.DataProtection;

/// <summary>
/// The first key of the shared ring, made by one instance only. Left to Data Protection, instances
/// starting at once on an empty database each found no key and each made one; an instance that
/// had read the ring before the other's key was stored kept a ring without it for a day (Data
/// Protection re-reads the ring on meeting an unknown key only in its first two minutes), while
/// the other protected with that key: the session cookie, sign-in state and review forms one
/// instance issued were refused by the other. So before anything reads the ring, an instance
/// finding it empty makes a key document aside and stores it only if the ring is still empty;
/// whichever instance stores first, every instance then loads that one key.
/// </summary>
internal static class SharedKeyRing
{
    public static async Task EnsureFirstKeyAsync(this WebApplication app)
    {
        var services = app.Services;
        var options = services.GetRequiredService<IOptions<KeyManagementOptions>>().Value;
        var store = services.GetRequiredService<IDataProtectionKeyStore>();
        var cancellationToken = app.Lifetime.ApplicationStopping;
        if (!options.AutoGenerateKeys || (await store.ReadAllAsync(cancellationToken)).Count > 0)
        {
            return;
        }

        var aside = new KeysAside();
        var draftOptions = new KeyManagementOptions
        {
            XmlRepository = aside,
            XmlEncryptor = options.XmlEncryptor,
            AuthenticatedEncryptorConfiguration = options.AuthenticatedEncryptorConfiguration,
            NewKeyLifetime = options.NewKeyLifetime,
        };
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        new XmlKeyManager(Options.Create(draftOptions), services.GetRequiredService<IActivator>(), services.GetRequiredService<ILoggerFactory>())
            .CreateNewKey(now, now + options.NewKeyLifetime);
        var (name, element) = aside.Single;
        await store.StoreFirstAsync(name, element.ToString(SaveOptions.DisableFormatting), cancellationToken);
    }

    /// <summary>Holds the one key document made aside, for the store to take or drop.</summary>
    private sealed class KeysAside : IXmlRepository
    {
        private readonly List<(string Name, XElement Element)> _stored = [];

        public (string Name, XElement Element) Single => _stored.Single();

        public IReadOnlyCollection<XElement> GetAllElements() => _stored.Select(s => s.Element).ToList();

        public void StoreElement(XElement element, string friendlyName) => _stored.Add((friendlyName, element));
    }
}
