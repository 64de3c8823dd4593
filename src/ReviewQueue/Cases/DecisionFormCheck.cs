namespace SpinePolicy.ReviewQueue.Cases;

/// <summary>
/// The decision form's own check, before the $review reader sees it: nothing chosen, or a denial
/// without a note. The reader refuses both too, but in the API's words ("send one item
/// parameter"); a reviewer needs to hear which control to fix, with a link to it. Everything else
/// is left to the shared reader, so the form and the API still accept and refuse the same decisions.
/// </summary>
internal static class DecisionFormCheck
{
    public static IReadOnlyList<FormProblem> Problems(IReadOnlyList<ItemDecisionInput> items)
    {
        var chosen = items.Where(i => !string.IsNullOrWhiteSpace(i.Action)).ToList();
        if (chosen.Count == 0)
        {
            var first = items.Count > 0 ? items[0].Sequence : 1;
            return [new FormProblem(FieldIds.Approve(first), "Choose Approve or Deny for at least one item.")];
        }

        return chosen
            .Where(i => i.Action!.Trim() == "A3" && string.IsNullOrWhiteSpace(i.Note))
            .Select(i => new FormProblem(FieldIds.Note(i.Sequence), $"Item {i.Sequence}: write a note giving the reason for the denial; it is sent to the provider."))
            .ToList();
    }
}
