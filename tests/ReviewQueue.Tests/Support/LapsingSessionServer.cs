using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;

namespace SpinePolicy.ReviewQueue.Tests.Support;

/// <summary>
/// The queue's server whose reviewer sessions age on a clock the test can move forward, so that a
/// session ends while its page is open, as it does for a reviewer who left a case for the night.
/// Only the session cookie reads this clock; decisions, deadlines and the identity provider keep real time.
/// </summary>
public sealed class LapsingSessionServer : ReviewQueueServer
{
    /// <summary>The reviewer session scheme's name (SpinePolicy.ReviewQueue.Security.ReviewerSchemes.Cookie).</summary>
    private const string SessionScheme = "ReviewQueue.Cookie";

    public SessionClock SessionClock { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) =>
        services.PostConfigure<CookieAuthenticationOptions>(SessionScheme, options => options.TimeProvider = SessionClock);
}
