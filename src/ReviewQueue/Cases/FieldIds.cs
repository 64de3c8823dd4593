namespace SpinePolicy.ReviewQueue.Cases;

/// <summary>The decision form's control ids, one place for the page and the errors that link to them.</summary>
internal static class FieldIds
{
    public static string Approve(int sequence) => $"item-{sequence}-approve";

    public static string Deny(int sequence) => $"item-{sequence}-deny";

    public static string Reason(int sequence) => $"item-{sequence}-reason";

    public static string Note(int sequence) => $"item-{sequence}-note";
}
