using Hl7.Fhir.Model;

namespace SpinePolicy.ReviewQueue.Cases;

/// <summary>One item's part of the decision form: Approve (A1) or Deny (A3), the denial reason and the note.</summary>
internal sealed class ItemDecisionInput
{
    public int Sequence { get; set; }

    /// <summary>"A1", "A3", or empty when the reviewer leaves the item pended.</summary>
    public string? Action { get; set; }

    public string? ReasonCode { get; set; }

    public string? Note { get; set; }

    /// <summary>
    /// The form as the $review operation's Parameters, so that the form and the API share one
    /// reader (ReviewDecision.Read) and so one validation. Items left without a choice are not sent.
    /// </summary>
    public static Parameters ToParameters(IEnumerable<ItemDecisionInput> items)
    {
        var parameters = new Parameters();
        foreach (var item in items.Where(i => !string.IsNullOrWhiteSpace(i.Action)))
        {
            var parts = new List<Tuple<string, Base>>
            {
                Tuple.Create("sequence", (Base)new Integer(item.Sequence)),
                Tuple.Create("action", (Base)new Code(item.Action!.Trim())),
            };
            if (!string.IsNullOrWhiteSpace(item.Note))
            {
                parts.Add(Tuple.Create("note", (Base)new FhirString(item.Note.Trim())));
            }

            // The reason belongs to a denial; a reason left selected while approving is not sent.
            if (item.Action.Trim() == "A3" && !string.IsNullOrWhiteSpace(item.ReasonCode))
            {
                parts.Add(Tuple.Create("reasonCode", (Base)new Code(item.ReasonCode.Trim())));
            }

            parameters.Add("item", parts);
        }

        return parameters;
    }
}
