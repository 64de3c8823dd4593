using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using System.Globalization;
using SpinePolicy.PriorAuthorization.Clocks;
using SpinePolicy.PriorAuthorization.Review;
using SpinePolicy.Storage.Auditing;

namespace SpinePolicy.ReviewQueue.Pages.Review;

/// <summary>GET /review/: the pended requests, earliest due first, optionally for one product line.</summary>
internal sealed class IndexModel(PendedRequestQueue queue, DecisionDeadline deadline, TimeProvider clock) : PageModel
{
    /// <summary>The deadline rule in words, from the configured durations.</summary>
    public string DeadlineRule =>
        $"{Duration(deadline.Allowed(RequestUrgency.Urgent))} after receipt for urgent requests (Claim.priority \"stat\" or an immediate appeal), {Duration(deadline.Allowed(RequestUrgency.Standard))} for standard ones, plus any extension a reviewer recorded";

    [BindProperty(SupportsGet = true, Name = "productLine")]
    public string? ProductLine { get; set; }

    public IReadOnlyList<PendedRequest> Requests { get; private set; } = [];

    public IReadOnlyList<(string Code, string Display)> ProductLines => queue.ProductLines;

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // An unknown value filters nothing rather than hiding the whole queue.
        if (string.IsNullOrWhiteSpace(ProductLine) || !queue.ProductLines.Any(p => p.Code == ProductLine))
        {
            ProductLine = null;
        }

        Now = clock.GetUtcNow();
        Requests = await queue.ListAsync(ProductLine, cancellationToken);
        if (HttpContext.Features.Get<AuditSubjects>() is { } audit)
        {
            foreach (var request in Requests)
            {
                audit.AddDecision($"ClaimResponse/{request.RecordId}");
            }
        }
    }

    private static string Duration(TimeSpan span) =>
        span.TotalHours % 24 == 0 && span.TotalDays >= 7
            ? $"{span.TotalDays.ToString(CultureInfo.InvariantCulture)} calendar days"
            : $"{span.TotalHours.ToString(CultureInfo.InvariantCulture)} hours";
}
