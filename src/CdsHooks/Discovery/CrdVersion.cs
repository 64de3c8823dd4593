using System.Text.Json;
using SpinePolicy.CdsHooks.Protocol;

namespace SpinePolicy.CdsHooks.Discovery;

/// <summary>
/// The CRD version these services speak, as CRD's version extensions write it: the guide's
/// major.minor only ("2.0" for STU 2.0.1). Discovery declares it on every service
/// (davinci-crd.version); a client may name the version it wants (davinci-crd.requestedVersion).
/// </summary>
internal static class CrdVersion
{
    public const string Spoken = "2.0";

    public const string DiscoveryExtension = "davinci-crd.version";

    public const string RequestExtension = "davinci-crd.requestedVersion";

    public static IReadOnlyList<string> Supported { get; } = [Spoken];

    /// <summary>A request asking for a CRD version these services do not speak is refused, not answered in another.</summary>
    public static void CheckRequested(JsonElement? extension)
    {
        if (extension is not { ValueKind: JsonValueKind.Object } ext || !ext.TryGetProperty(RequestExtension, out var requested) || requested.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (requested.ValueKind != JsonValueKind.String)
        {
            throw CdsRequestException.Invalid("invalid-crd-version", $"extension.{RequestExtension} must be a string such as \"{Spoken}\".");
        }

        if (!Supported.Contains(requested.GetString(), StringComparer.Ordinal))
        {
            throw new CdsRequestException(422, "unsupported-crd-version", $"This service speaks CRD {string.Join(", ", Supported)}, not the requested {requested.GetString()}.");
        }
    }
}
