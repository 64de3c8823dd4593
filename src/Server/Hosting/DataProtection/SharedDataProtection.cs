using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using SpinePolicy.Storage.Keys;

namespace SpinePolicy.Server.Hosting.DataProtection;

/// <summary>
/// One Data Protection key ring for the whole service. By default ASP.NET Core keeps keys in the
/// process owner's home folder (or in memory without one) and isolates applications by their
/// content root path: instances on other hosts, in containers, or deployed to another folder
/// (a blue/green or rolling deploy) each had a ring of their own, so a reviewer signed in through
/// one instance was sent back to sign in by the next, an OpenID Connect callback reaching another
/// instance than the one that started the sign-in failed, and a review form served by one instance
/// was refused as forged by the other.
/// </summary>
internal static class SharedDataProtection
{
    /// <summary>Names this service to Data Protection, whatever folder an instance runs from.</summary>
    public const string ApplicationName = "SpinePolicy";

    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);

        // The keys are stored as Data Protection writes them (not encrypted again): whoever can read
        // the database reads member data already, which the keys protect no further.
        services.AddOptions<KeyManagementOptions>()
            .Configure<IDataProtectionKeyStore>((options, store) => options.XmlRepository = new DatabaseXmlRepository(store));
        return services;
    }
}
