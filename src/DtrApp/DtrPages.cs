using System.Net;
using System.Text.Json;

namespace SpinePolicy.DtrApp;

/// <summary>
/// The app's two HTML pages: /dtr/launch (SMART launch) and /dtr/ (the form). Each names its
/// script file (no inline script), and carries the settings the script reads as a JSON data block,
/// which browsers never execute.
/// </summary>
internal static class DtrPages
{
    /// <summary>The EHR address a provider types to start the app standalone: on the launch page and on a refused launch.</summary>
    private const string IssuerFields = """
        <label for="iss">Your EHR's FHIR server address</label>
                      <input id="iss" name="iss" type="url" required autocomplete="url" placeholder="https://ehr.example.org/fhir">
                      <button type="submit">Sign in with your EHR</button>
        """;

    public static string Launch(string assets, string settingsJson) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>Sign in · SpinePolicy DTR</title>
          <link rel="stylesheet" href="{{assets}}/style.css">
          <script type="application/json" id="dtr-config">{{settingsJson}}</script>
          <script src="{{assets}}/launch.js" defer></script>
        </head>
        <body>
          <main class="launch">
            <h1>SpinePolicy prior authorization documentation</h1>
            <p id="launch-message" role="status">Starting…</p>
            <form id="standalone-form" hidden>
              {{IssuerFields}}
            </form>
          </main>
        </body>
        </html>
        """;

    /// <summary>
    /// A launch from an EHR that is not on DtrApp:AllowedIssuers: said in words, with no script (the
    /// launch page's stylesheet only, so it looks like the page it stands in for), and
    /// a plain form that asks this server again for the launch page of the address typed.
    /// </summary>
    public static string UntrustedIssuer(string assets, string issuer) => RefusalPage(
        assets,
        $"This app is not registered with the EHR at {Encode(issuer.Length > 200 ? issuer[..200] + "…" : issuer)}, so it will not sign in there. "
        + "Start again from your EHR, or ask the payer to add it.");

    /// <summary>A launch address naming another client id than the one EHRs registered for the app.</summary>
    public static string ForeignClientId(string assets) => RefusalPage(
        assets,
        "This launch address names another app's client id, so the app will not sign in with it. Start again from your EHR.");

    private static string RefusalPage(string assets, string message) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>Cannot sign in · SpinePolicy DTR</title>
          <link rel="stylesheet" href="{{assets}}/style.css">
        </head>
        <body>
          <main class="launch">
            <h1>SpinePolicy prior authorization documentation</h1>
            <p role="alert">{{message}}</p>
            <form method="get" action="launch">
              {{IssuerFields}}
            </form>
          </main>
        </body>
        </html>
        """;

    /// <summary>
    /// The form page. Its root holds a heading and a message that the app replaces when it starts:
    /// a script that fails to load (a proxy, an outage, a blocked file) leaves that message, not a
    /// blank page; noscript alone covers only a browser with JavaScript turned off.
    /// </summary>
    public static string App(string assets, string settingsJson) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>Prior authorization documentation · SpinePolicy DTR</title>
          <link rel="stylesheet" href="{{assets}}/app.css">
          <link rel="stylesheet" href="{{assets}}/style.css">
          <script type="application/json" id="dtr-config">{{settingsJson}}</script>
          <script src="{{assets}}/app.js" defer></script>
        </head>
        <body>
          <div id="root">
            <main id="main">
              <h1>Prior authorization documentation</h1>
              <p role="status">Loading the app… If this does not change, its script did not load: reload the page, or start again from your EHR.</p>
              <noscript><p>This app needs JavaScript: turn it on for this site, then start again from your EHR.</p></noscript>
            </main>
          </div>
        </body>
        </html>
        """;

    /// <summary>
    /// The settings as JSON that is safe inside a script element: the default encoder escapes
    /// &lt;, &gt; and &amp;, so no value can close the element.
    /// </summary>
    public static string Settings(DtrAppOptions options, PayerSignIn payerSignIn, string pathBase) =>
        JsonSerializer.Serialize(new
        {
            clientId = options.ClientId,
            scope = options.Scope,
            standaloneScope = options.StandaloneScope,
            payerFhirBase = $"{pathBase}/fhir",
            payerSignIn = payerSignIn.Required,
            payerClientId = options.PayerClientId,
            payerScope = options.PayerScope,
            allowedIssuers = options.AllowedIssuers,
            redirectPath = $"{pathBase}/dtr/",
        });

    public static string Encode(string value) => WebUtility.HtmlEncode(value);
}
