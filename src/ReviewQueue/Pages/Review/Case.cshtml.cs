using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SpinePolicy.Fhir.Http;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Review;
using SpinePolicy.ReviewQueue.Cases;
using SpinePolicy.ReviewQueue.Security;
using SpinePolicy.Storage;
using SpinePolicy.Storage.Auditing;

namespace SpinePolicy.ReviewQueue.Pages.Review;

/// <summary>
/// GET /review/cases/{id}: one request with the engine's reasons, the answers and the member's
/// history. POST: the reviewer's decision, recorded through the same reader and service as the
/// $review operation (same validation, same new ClaimResponse version, same notifications).
/// </summary>
internal sealed class CaseModel(CaseViewBuilder builder, IReviewRecorder reviews, ReviewerSignIn signIn, PublicEndpoints publicEndpoints, DecisionDraftCookie drafts) : PageModel
{
    [BindProperty]
    public List<ItemDecisionInput> Items { get; set; } = [];

    [BindProperty]
    public int? ExtensionDays { get; set; }

    [BindProperty]
    public string? ExtensionReason { get; set; }

    public CaseView? Case { get; private set; }

    /// <summary>What the decision did, for the status region.</summary>
    public IReadOnlyList<string> Outcome { get; private set; } = [];

    public string? Error { get; private set; }

    /// <summary>True when the forms are filled with what the reviewer entered before their sign-in ended (see <see cref="SessionEndedOnPost"/>).</summary>
    public bool Resumed { get; private set; }

    /// <summary>True when a kept draft was dropped instead, because the request changed after it was entered.</summary>
    public bool DraftOutdated { get; private set; }

    /// <summary>The form's own problems, each naming the control to fix (the error region links to it).</summary>
    public IReadOnlyList<FormProblem> Problems { get; private set; } = [];

    /// <summary>
    /// What the reviewer chose for an item in a form that was refused, so the page shows it again
    /// rather than making them redo every choice; null on a fresh page or after a recorded decision.
    /// </summary>
    public ItemDecisionInput? Posted(int sequence) => Items.FirstOrDefault(i => i.Sequence == sequence);

    public bool IsInvalid(string fieldId) => Problems.Any(p => p.FieldId == fieldId);

    /// <summary>The message for this control, shown beside it and named by its aria-describedby; null when it is valid.</summary>
    public string? ProblemWith(string fieldId) => Problems.FirstOrDefault(p => p.FieldId == fieldId)?.Message;

    public static IReadOnlyList<(string Code, string Display)> DenialReasons => ReviewReasons.Denials;

    public async Task<IActionResult> OnGetAsync(string id, [FromQuery] string? recorded, [FromQuery] bool extended, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFoundPage();
        }

        // Arrived here by the redirect after a decision or an extension (so that reloading or going
        // back never posts the form again): the status region says what stands now for those items.
        Outcome = RecordedOutcome(recorded);
        if (extended && Case!.Summary.Extension is not null)
        {
            Outcome = [.. Outcome, $"Timeframe extended: the decision is now due by {Display.Time(Case.Summary.DueBy)}."];
        }

        var draft = drafts.Find(HttpContext, id, User);
        if (draft is not null && draft.ResponseVersion != Case!.ResponseVersion)
        {
            // Decided, extended or changed by someone else since: the draft answers a request that
            // no longer stands, so it is not put back (nor kept to come back later).
            drafts.Forget(HttpContext, id, User);
            DraftOutdated = true;
        }
        else if (draft is not null)
        {
            // Shown, not recorded: the reviewer checks it and presses the button again.
            Items = draft.Items;
            ExtensionDays = draft.ExtensionDays;
            ExtensionReason = draft.ExtensionReason;
            Resumed = true;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        // The shared reader below words its refusals for API clients (parameters and parts); the two
        // mistakes a reviewer can make with this form are caught first, in the form's own words.
        var problems = DecisionFormCheck.Problems(Items);
        if (problems.Count > 0)
        {
            Problems = problems;
            return await RefuseAsync(id, StatusCodes.Status400BadRequest, problems.Count == 1 ? "Fix this and record the decision again:" : "Fix these and record the decision again:", cancellationToken);
        }

        Bundle? answer;
        try
        {
            var decisions = ReviewDecision.Read(ItemDecisionInput.ToParameters(Items));
            answer = await reviews.ReviewAsync(id, decisions, signIn.DisplayName(User), publicEndpoints.FhirBase, cancellationToken);
        }
        catch (FhirHttpException ex) when (ex.StatusCode is StatusCodes.Status400BadRequest or StatusCodes.Status422UnprocessableEntity)
        {
            return await RefuseAsync(id, ex.StatusCode, ex.Message, cancellationToken);
        }
        catch (FhirHttpException ex) when (ex.StatusCode == StatusCodes.Status409Conflict)
        {
            // Decided by another reviewer since this page was served (on any instance).
            return await RefuseAsync(id, StatusCodes.Status409Conflict, "Another reviewer decided this request while you were looking at it. Nothing was recorded; the page below shows the request as it stands now.", cancellationToken);
        }

        if (answer is null)
        {
            return NotFoundPage();
        }

        // Post/Redirect/Get: the page that says what was recorded is a GET, so a reload or the back
        // button shows the decided request instead of posting the decision a second time (which
        // would be refused as if another reviewer had decided first).
        var decided = Items.Where(i => !string.IsNullOrWhiteSpace(i.Action)).Select(i => i.Sequence).Distinct().Order();
        drafts.Forget(HttpContext, id, User);
        return SeeOther(id, "recorded=" + string.Join(',', decided.Select(s => s.ToString(CultureInfo.InvariantCulture))));
    }

    /// <summary>The status lines for the items a decision just recorded (those no longer pended), as the request stands now.</summary>
    private List<string> RecordedOutcome(string? recorded)
    {
        if (string.IsNullOrEmpty(recorded) || Case is null)
        {
            return [];
        }

        var sequences = recorded.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1)
            .ToHashSet();
        return Case.Items
            .Where(i => sequences.Contains(i.Sequence) && !i.IsPended)
            .Select(i => i.ActionCode == "A1" && i.AuthorizationNumber is { } number
                ? $"Item {i.Sequence}: {i.ActionCode} {i.ActionDisplay}. Authorization number {number}."
                : $"Item {i.Sequence}: {i.ActionCode} {i.ActionDisplay}.")
            .ToList();
    }

    private StatusCodeResult SeeOther(string id, string query)
    {
        Response.Headers.Location = SessionEndedPage.CasePath(id) + "?" + query;
        return new StatusCodeResult(StatusCodes.Status303SeeOther);
    }

    /// <summary>POST ?handler=Extend: the timeframe extension, through the same reader and service as $review's "extendTimeframe".</summary>
    public async Task<IActionResult> OnPostExtendAsync(string id, CancellationToken cancellationToken)
    {
        Bundle? answer;
        try
        {
            var parameters = new Parameters();
            var parts = new List<Tuple<string, Base>>();
            if (ExtensionDays is { } days)
            {
                parts.Add(Tuple.Create("days", (Base)new Integer(days)));
            }

            if (!string.IsNullOrWhiteSpace(ExtensionReason))
            {
                parts.Add(Tuple.Create("reason", (Base)new FhirString(ExtensionReason)));
            }

            parameters.Add("extendTimeframe", parts);
            answer = await reviews.ReviewAsync(id, ReviewRequest.Read(parameters), signIn.DisplayName(User), publicEndpoints.FhirBase, cancellationToken);
        }
        catch (FhirHttpException ex) when (ex.StatusCode is StatusCodes.Status400BadRequest or StatusCodes.Status422UnprocessableEntity)
        {
            return await RefuseAsync(id, ex.StatusCode, ex.Message, cancellationToken);
        }
        catch (FhirHttpException ex) when (ex.StatusCode == StatusCodes.Status409Conflict)
        {
            return await RefuseAsync(id, StatusCodes.Status409Conflict, "Another reviewer changed this request while you were looking at it. Nothing was recorded; the page below shows the request as it stands now.", cancellationToken);
        }

        if (answer is null)
        {
            return NotFoundPage();
        }

        drafts.Forget(HttpContext, id, User);
        return SeeOther(id, "extended=true");
    }

    private async Task<IActionResult> RefuseAsync(string id, int status, string message, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFoundPage();
        }

        Error = message;
        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        Case = await builder.BuildAsync(id, cancellationToken);
        if (Case is not null && HttpContext.Features.Get<AuditSubjects>() is { } audit)
        {
            audit.AddDecision($"ClaimResponse/{Case.Summary.RecordId}");
            audit.AddPatient(Case.PatientId);
        }

        return Case is not null;
    }

    private PageResult NotFoundPage()
    {
        Case = null;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
