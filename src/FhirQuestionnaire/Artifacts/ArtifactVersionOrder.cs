namespace SpinePolicy.FhirQuestionnaire.Artifacts;

/// <summary>
/// Orders our artefact versions (yyyy.mm.n) part by part, numbers as numbers: 2026.01.10 comes
/// after 2026.01.9, where comparing the text would put it before and serve the older form as the
/// current one. A part that is not a number (never ours, but a ledger is edited by hand) sorts after
/// every number and among its kind as text, so the order is total and stable.
/// </summary>
internal sealed class ArtifactVersionOrder : IComparer<string>
{
    public static readonly ArtifactVersionOrder Instance = new();

    private ArtifactVersionOrder()
    {
    }

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var left = x.Split('.');
        var right = y.Split('.');
        for (var i = 0; i < Math.Min(left.Length, right.Length); i++)
        {
            var order = ComparePart(left[i], right[i]);
            if (order != 0)
            {
                return order;
            }
        }

        // 2026.01 before 2026.01.0; equal parts and equal length: the same version.
        return left.Length != right.Length ? left.Length.CompareTo(right.Length) : string.CompareOrdinal(x, y);
    }

    private static int ComparePart(string left, string right)
    {
        var leftIsNumber = ulong.TryParse(left, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var l);
        var rightIsNumber = ulong.TryParse(right, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var r);
        return (leftIsNumber, rightIsNumber) switch
        {
            (true, true) => l.CompareTo(r),
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(left, right),
        };
    }
}
