using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using SpinePolicy.Storage.Keys;

namespace SpinePolicy.Server.Hosting.DataProtection;

/// <summary>
/// Data Protection's key repository over the database every instance shares. Data Protection calls
/// it synchronously, and rarely: when an instance first needs its key ring, when the ring is
/// refreshed (every few hours, or on meeting a key it does not know) and when a key is created
/// (at first use, then every 90 days). Those calls wait on the database here.
/// </summary>
internal sealed class DatabaseXmlRepository(IDataProtectionKeyStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        store.ReadAllAsync(CancellationToken.None).GetAwaiter().GetResult()
            .Select(xml => XElement.Parse(xml))
            .ToList();

    public void StoreElement(XElement element, string friendlyName) =>
        store.StoreAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting), CancellationToken.None).GetAwaiter().GetResult();
}
