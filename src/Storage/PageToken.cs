using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace SpinePolicy.Storage;

/// <summary>
/// The opaque continuation of keyset paging: the (last updated, id) of the last resource on a page.
/// The next page starts strictly after it, so writes between pages never cause duplicates or gaps
/// among resources that did not change.
/// </summary>
internal sealed record PageToken(DateTimeOffset LastUpdated, string Id)
{
    private const string Prefix = "k1";

    public string Encode()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Prefix}|{LastUpdated.ToUnixTimeMilliseconds()}|{Id}");
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>False for anything this class did not make.</summary>
    public static bool TryDecode(string? token, out PageToken? pageToken)
    {
        pageToken = null;
        if (string.IsNullOrEmpty(token) || token.Length > 512)
        {
            return false;
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return false;
        }

        // The id goes to the database as a parameter: anything but a FHIR id (a NUL byte, which
        // PostgreSQL refuses outright) is a token we did not make.
        var parts = text.Split('|', 3);
        if (parts.Length != 3 || parts[0] != Prefix || !Fhir.Http.FhirIds.IsValid(parts[2])
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            || milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }

        pageToken = new PageToken(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds), parts[2]);
        return true;
    }

    /// <summary>
    /// Decodes or throws <see cref="InvalidSearchException"/>: the token came from the client, so a
    /// tampered one is bad input (400 at the edge), not a server fault.
    /// </summary>
    public static PageToken Decode(string token) =>
        TryDecode(token, out var pageToken) && pageToken is not null
            ? pageToken
            : throw new InvalidSearchException("The paging token is not valid; start the search again.");
}
