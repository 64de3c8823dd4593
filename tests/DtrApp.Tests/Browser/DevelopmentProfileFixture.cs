using SpinePolicy.TestKit;

namespace SpinePolicy.DtrApp.Tests.Browser;

/// <summary>
/// The server as `dotnet run` starts it: the Development environment with nothing said about FHIR
/// authentication (so the API is open by the Development default, not by a test's setting) and no
/// identity provider (so the queue signs the demo reviewer in).
/// </summary>
public sealed class DevelopmentProfileFixture : DtrBrowserFixture
{
    protected override SpinePolicyApp CreateServer() => new(new Dictionary<string, string?>
    {
        ["DtrApp:AllowedIssuers:0"] = Ehr.FhirBase,
        ["DtrApp:ClientId"] = ClientId,
    })
    {
        EnvironmentName = "Development",
    };
}
