using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace SpinePolicy.ReviewQueue.Cases;

/// <summary>
/// What a reviewer entered on a case page's forms (the decision per item, the timeframe extension)
/// when the POST could not be recorded because their sign-in had ended. It is carried through the
/// new sign-in so the page opens with it filled in; it is never recorded as it stands.
/// </summary>
internal sealed class DecisionDraft
{
    /// <summary>More items than any request carries: a form claiming more is not read further.</summary>
    private const int MaxItems = 100;

    public required string CaseId { get; init; }

    /// <summary>The reviewer whose ended session posted it ("sub" and "iss" of their sign-in); only they get it back.</summary>
    public required string Subject { get; init; }

    public string? Issuer { get; init; }

    /// <summary>
    /// The version of the request's ClaimResponse the posted form was served with (its hidden
    /// "ResponseVersion" field). A draft is put back only while the request is still at that version:
    /// once another reviewer decided or extended it, or its submitter changed it, the draft describes
    /// a request that no longer stands.
    /// </summary>
    public int? ResponseVersion { get; init; }

    public List<ItemDecisionInput> Items { get; init; } = [];

    public int? ExtensionDays { get; init; }

    public string? ExtensionReason { get; init; }

    /// <summary>True when nothing was entered that would be worth keeping.</summary>
    public bool IsEmpty =>
        ExtensionDays is null && string.IsNullOrWhiteSpace(ExtensionReason)
        && Items.All(i => string.IsNullOrWhiteSpace(i.Action) && string.IsNullOrWhiteSpace(i.Note));

    /// <summary>Reads the fields the case page's forms post (the same names the page binds).</summary>
    public static DecisionDraft FromForm(IFormCollection form, string caseId, string subject, string? issuer)
    {
        var items = new List<ItemDecisionInput>();
        for (var index = 0; index < MaxItems; index++)
        {
            var prefix = $"Items[{index}].";
            if (!int.TryParse(form[prefix + "Sequence"], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                break;
            }

            items.Add(new ItemDecisionInput
            {
                Sequence = sequence,
                Action = Single(form, prefix + "Action"),
                ReasonCode = Single(form, prefix + "ReasonCode"),
                Note = Single(form, prefix + "Note"),
            });
        }

        return new DecisionDraft
        {
            CaseId = caseId,
            Subject = subject,
            Issuer = issuer,
            ResponseVersion = int.TryParse(form["ResponseVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null,
            Items = items,
            ExtensionDays = int.TryParse(form["ExtensionDays"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var days) ? days : null,
            ExtensionReason = Single(form, "ExtensionReason"),
        };
    }

    private static string? Single(IFormCollection form, string name) =>
        form[name] is { Count: > 0 } values && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
}
