using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// The If-Match header of a FHIR write: the version ETag (<c>W/"3"</c> or <c>"3"</c>) a client
/// makes its update conditional on. Whether the client sent one decides how a version conflict is
/// answered: 412 when its own precondition failed, 409 when someone else's change got in between
/// a request that named no version.
/// </summary>
public static class FhirIfMatch
{
    /// <summary>Whether the request carries an If-Match header at all (well-formed or not).</summary>
    public static bool Sent(HttpRequest request) => !string.IsNullOrWhiteSpace(request.Headers.IfMatch.ToString());

    /// <summary>The version If-Match names; null without the header; anything but a version ETag is a 400, never a silent unconditional write.</summary>
    public static int? Version(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var tag = header.Trim();
        tag = tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
        return int.TryParse(tag.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0
            ? version
            : throw FhirHttpException.BadRequest("If-Match must be a version ETag such as W/\"3\".", "If-Match");
    }
}
