using System.Globalization;
using System.Net;
using System.Text;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.ReviewQueue.Cases;

namespace SpinePolicy.ReviewQueue.Security;

/// <summary>
/// The answer to a case-page form posted after the reviewer's sign-in ended: nothing was recorded,
/// what they entered (when the form is known to be theirs) and a link that signs them in again and
/// returns them to the request. Built as a string because the Razor pages behind it require the
/// sign-in this page exists to ask for; every value is HTML-encoded.
/// </summary>
internal static class SessionEndedPage
{
    /// <summary>How the posted work was kept.</summary>
    public enum Kept
    {
        /// <summary>The form could not be shown to be this reviewer's (no session, or no valid antiforgery token): nothing is echoed.</summary>
        Nothing,

        /// <summary>Carried through sign-in: the request opens with it filled in.</summary>
        ThroughSignIn,

        /// <summary>Too long to carry: shown here to copy.</summary>
        OnThisPageOnly,
    }

    public static string Html(string caseId, DecisionDraft? draft, Kept kept)
    {
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in again – SpinePolicy reviewer queue</title><link rel="stylesheet" href="/review/review.css"></head>
            <body><main id="main"><h1>Sign in again</h1>
            <div role="alert" class="error" tabindex="-1" autofocus><p><strong>Nothing was recorded.</strong> Your sign-in ended before the form reached the server.</p></div>
            """);
        html.Append(kept switch
        {
            Kept.ThroughSignIn => "<p>What you entered is kept. Sign in again and the request opens with it filled in, for you to check and record.</p>",
            Kept.OnThisPageOnly => "<p>What you entered is too long to keep through sign-in: copy it from below before you sign in again.</p>",
            _ => "<p>Sign in again and open the request to record your decision.</p>",
        });
        if (kept != Kept.Nothing && draft is not null)
        {
            AppendDraft(html, draft);
        }

        html.Append(CultureInfo.InvariantCulture, $"""<p><a href="{Encode(CasePath(caseId))}">Sign in again and return to the request</a></p>""");
        html.Append("</main></body></html>");
        return html.ToString();
    }

    /// <summary>Always under /review/cases/: the id is one escaped path segment, so the link cannot leave the queue.</summary>
    public static string CasePath(string caseId) => "/review/cases/" + Uri.EscapeDataString(caseId);

    private static void AppendDraft(StringBuilder html, DecisionDraft draft)
    {
        html.Append("<h2>What you entered</h2><dl class=\"summary\">");
        foreach (var item in draft.Items.Where(i => !string.IsNullOrWhiteSpace(i.Action) || !string.IsNullOrWhiteSpace(i.Note)))
        {
            var choice = item.Action switch
            {
                "A1" => "Approve",
                "A3" => "Deny" + (item.ReasonCode is { } code ? $", reason {code} – {ReviewReasons.DenialDisplay(code) ?? "unknown"}" : string.Empty),
                _ => "No decision chosen",
            };
            html.Append(CultureInfo.InvariantCulture, $"<dt>Item {item.Sequence}</dt><dd>{Encode(choice)}");
            if (!string.IsNullOrWhiteSpace(item.Note))
            {
                html.Append(CultureInfo.InvariantCulture, $"<br>Note: {Encode(item.Note)}");
            }

            html.Append("</dd>");
        }

        if (draft.ExtensionDays is not null || !string.IsNullOrWhiteSpace(draft.ExtensionReason))
        {
            html.Append(CultureInfo.InvariantCulture, $"<dt>Timeframe extension</dt><dd>{Encode(draft.ExtensionDays?.ToString(CultureInfo.InvariantCulture) ?? "no")} calendar days");
            if (!string.IsNullOrWhiteSpace(draft.ExtensionReason))
            {
                html.Append(CultureInfo.InvariantCulture, $"<br>Reason: {Encode(draft.ExtensionReason)}");
            }

            html.Append("</dd>");
        }

        html.Append("</dl>");
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
