using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;

namespace SpinePolicy.PriorAuthorization.Metrics;

/// <summary>
/// The report as one self-contained, accessible HTML document a payer can post as is: headings in
/// order, tables with captions and header cells, every figure with the count behind it, no script,
/// no external resource. Written directly rather than through Razor: it is one static document with
/// no layout, form or session, and keeping it here keeps the public page out of the reviewer UI's
/// authentication and cookies. Every value goes through the HTML encoder.
/// </summary>
internal static class PriorAuthorizationReportPage
{
    private const string Style = "body{font-family:system-ui,sans-serif;max-width:70rem;margin:1rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}table{border-collapse:collapse;margin:0 0 1.5rem}th,td{border:1px solid #666;padding:.25rem .5rem;text-align:left}td.n{text-align:right}caption{text-align:left;font-weight:bold;padding:.25rem 0}";

    /// <summary>The Content-Security-Policy that lets exactly this page's one style element apply, and nothing else load.</summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static string Render(PriorAuthorizationReport report)
    {
        var html = new Html();
        var reporting = new ReportingPeriod(report.From, report.To);
        var period = reporting.Describe();
        var jsonLink = $"/metrics/prior-authorization.json?{reporting.Query}";
        html.Raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Raw("<title>").Text($"Prior authorization metrics, {period} — {report.PlanName}").Raw("</title>\n");
        html.Raw("<style>").Raw(Style).Raw("</style>\n</head>\n<body>\n<main>\n");
        html.Raw("<h1>").Text($"Prior authorization metrics, {period}").Raw("</h1>\n");
        html.Raw("<p>").Text($"{report.PlanName}. Requests received from {Date(report.From)} to {Date(report.To)} (UTC), as decided by {report.GeneratedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC. Published under the CMS Interoperability and Prior Authorization final rule (CMS-0057-F). Percentages are of decided initial requests; times run from receipt of the request to the decision. The same figures are available as JSON at ").Raw("<a href=\"").Text(jsonLink).Raw("\">").Text(jsonLink).Raw("</a>.</p>\n");

        html.Raw("<h2>Figures by program</h2>\n");
        if (report.Programs.Count == 0)
        {
            html.Raw("<p>No prior authorization requests were received in this period.</p>\n");
        }

        foreach (var program in report.Programs)
        {
            var name = program.Contract is null ? $"{program.Program} ({string.Join(", ", program.ProductLines)})" : $"{program.Program}, contract {program.Contract} ({string.Join(", ", program.ProductLines)})";
            html.Raw("<h3>").Text(name).Raw("</h3>\n");
            Figures(html, program.Figures, name);
        }

        html.Raw("<h2>All programs together</h2>\n");
        Figures(html, report.All, "all programs");

        html.Raw("<h2>Items and services that require prior authorization</h2>\n");
        html.Raw("<p>From Medical Policy 097, Interventional Pain Management of the Spine, for each product line and each version of the policy in force during the period. The policy covers procedures only; no drug is listed.</p>\n");
        foreach (var list in report.ItemsRequiringPriorAuthorization)
        {
            html.Raw("<table>\n<caption>").Text($"{list.ProductLineDisplay} ({list.Program}), policy version {list.PolicyVersion}, in force {Date(list.InForceFrom)} to {(list.InForceUntil is { } until ? Date(until) : "today")}").Raw("</caption>\n");
            if (list.Services.Count == 0)
            {
                html.Raw("<tr><td>No service of this policy requires prior authorization on this product line.</td></tr>\n</table>\n");
                continue;
            }

            html.Raw("<thead><tr><th scope=\"col\">CPT code</th><th scope=\"col\">Service</th><th scope=\"col\">Note</th></tr></thead>\n<tbody>\n");
            foreach (var service in list.Services)
            {
                html.Raw("<tr><td>").Text(service.Code).Raw("</td><td>").Text(service.Group).Raw("</td><td>")
                    .Text(service.RequirementNotOnFile ? "This version's requirement is not on file; every request is reviewed." : string.Empty).Raw("</td></tr>\n");
            }

            html.Raw("</tbody>\n</table>\n");
        }

        html.Raw("<h2>Definitions</h2>\n<p>");
        html.Text("A request is counted in the period in which it was received. A request is decided when no item is left pending; a request with some items approved and others denied counts as approved, and is shown as partially approved. Requests withdrawn or cancelled before a decision, and requests for services that need no prior authorization, are counted apart and excluded from the percentages. Appeals are counted apart; a denial counts as approved after appeal when an appeal filed against it was approved. Expedited requests are those the provider marked urgent (Claim.priority stat, or an immediate appeal).");
        html.Raw("</p>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Figures(Html html, ReportFigures figures, string scope)
    {
        html.Raw("<table>\n<caption>").Text($"Requests received, {scope}").Raw("</caption>\n<tbody>\n");
        Row(html, "Prior authorization requests received (initial)", figures.RequestsReceived);
        Row(html, "Still awaiting a decision", figures.Pending);
        Row(html, "Withdrawn or cancelled before a decision", figures.Withdrawn);
        Row(html, "Requests for services needing no prior authorization (not counted)", figures.NotRequiringAuthorization);
        html.Raw("</tbody>\n</table>\n");

        html.Raw("<table>\n<caption>").Text($"Decisions by timeframe, {scope}").Raw("</caption>\n<thead><tr><th scope=\"col\">Figure</th><th scope=\"col\">Standard</th><th scope=\"col\">Expedited</th></tr></thead>\n<tbody>\n");
        Pair(html, "Decided", figures.Standard.Decided.ToString(CultureInfo.InvariantCulture), figures.Expedited.Decided.ToString(CultureInfo.InvariantCulture));
        Pair(html, "Approved (including partially approved)", Share(figures.Standard.ApprovedPercent, figures.Standard.Approved + figures.Standard.PartiallyApproved, figures.Standard.Decided), Share(figures.Expedited.ApprovedPercent, figures.Expedited.Approved + figures.Expedited.PartiallyApproved, figures.Expedited.Decided));
        Pair(html, "Of which partially approved", figures.Standard.PartiallyApproved.ToString(CultureInfo.InvariantCulture), figures.Expedited.PartiallyApproved.ToString(CultureInfo.InvariantCulture));
        Pair(html, "Denied", Share(figures.Standard.DeniedPercent, figures.Standard.Denied, figures.Standard.Decided), Share(figures.Expedited.DeniedPercent, figures.Expedited.Denied, figures.Expedited.Decided));
        Pair(html, "Approved after appeal", Share(figures.Standard.ApprovedAfterAppealPercent, figures.Standard.ApprovedAfterAppeal, figures.Standard.Decided), Share(figures.Expedited.ApprovedAfterAppealPercent, figures.Expedited.ApprovedAfterAppeal, figures.Expedited.Decided));
        Pair(html, "Average time from receipt to decision", Hours(figures.Standard.AverageHoursToDecision), Hours(figures.Expedited.AverageHoursToDecision));
        Pair(html, "Median time from receipt to decision", Hours(figures.Standard.MedianHoursToDecision), Hours(figures.Expedited.MedianHoursToDecision));
        Pair(html, "Decided after the decision was due", figures.Standard.DecidedLate.ToString(CultureInfo.InvariantCulture), figures.Expedited.DecidedLate.ToString(CultureInfo.InvariantCulture));
        html.Raw("</tbody>\n</table>\n");

        var extension = figures.TimeframeExtended;
        var appeals = figures.Appeals;
        html.Raw("<table>\n<caption>").Text($"Extensions and appeals, {scope}").Raw("</caption>\n<tbody>\n");
        Row(html, "Timeframe for review extended", Share(extension.ExtendedPercent, extension.Extended, extension.Decided));
        Row(html, "Timeframe extended and the request approved", Share(extension.ExtendedAndApprovedPercent, extension.ExtendedAndApproved, extension.Decided));
        Row(html, "Appeals received", appeals.Received.ToString(CultureInfo.InvariantCulture));
        Row(html, "Appeals awaiting a decision", appeals.Pending.ToString(CultureInfo.InvariantCulture));
        Row(html, "Appeals approved", Share(appeals.ApprovedPercent, appeals.Approved, appeals.Decided));
        html.Raw("</tbody>\n</table>\n");
    }

    private static void Row(Html html, string label, int value) => Row(html, label, value.ToString(CultureInfo.InvariantCulture));

    private static void Row(Html html, string label, string value) =>
        html.Raw("<tr><th scope=\"row\">").Text(label).Raw("</th><td class=\"n\">").Text(value).Raw("</td></tr>\n");

    private static void Pair(Html html, string label, string standard, string expedited) =>
        html.Raw("<tr><th scope=\"row\">").Text(label).Raw("</th><td class=\"n\">").Text(standard).Raw("</td><td class=\"n\">").Text(expedited).Raw("</td></tr>\n");

    private static string Share(decimal? percent, int part, int whole) =>
        percent is { } p ? $"{p.ToString("0.00", CultureInfo.InvariantCulture)}% ({part} of {whole})" : $"none decided ({part} of {whole})";

    private static string Hours(decimal? hours) => hours is { } h ? $"{h.ToString("0.00", CultureInfo.InvariantCulture)} hours" : "none decided";

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Raw markup we wrote, and text that is always encoded.</summary>
    private sealed class Html
    {
        private readonly StringBuilder _builder = new();

        public Html Raw(string markup)
        {
            _builder.Append(markup);
            return this;
        }

        public Html Text(string text)
        {
            _builder.Append(HtmlEncoder.Default.Encode(text));
            return this;
        }

        public override string ToString() => _builder.ToString();
    }
}
