using System.Text.Json;

namespace SpinePolicy.CdsHooks.Configuration;

/// <summary>
/// The configuration a client sent with a hook call (CRD 2.0.1: request
/// extension."davinci-crd.configuration", an object of option code → value).
/// </summary>
internal sealed record RequestConfiguration(IReadOnlySet<string> DisabledCardTypes, int MaxCards)
{
    public const string ExtensionName = "davinci-crd.configuration";

    public static RequestConfiguration Default { get; } = new(new HashSet<string>(StringComparer.Ordinal), CrdCardTypes.DefaultMaxCards);

    public bool Allows(string cardType) => !DisabledCardTypes.Contains(cardType);

    /// <summary>
    /// Reads the options from the request's extension object. Unknown options are ignored (a client
    /// may configure several payers alike); a known option with the wrong JSON type is an error.
    /// </summary>
    public static RequestConfiguration Read(JsonElement? extension, out string? error)
    {
        error = null;
        if (extension is not { ValueKind: JsonValueKind.Object } ext
            || !ext.TryGetProperty(ExtensionName, out var configuration)
            || configuration.ValueKind == JsonValueKind.Null)
        {
            return Default;
        }

        if (configuration.ValueKind != JsonValueKind.Object)
        {
            error = $"extension.{ExtensionName} must be an object of option codes to values.";
            return Default;
        }

        var disabled = new HashSet<string>(StringComparer.Ordinal);
        var maxCards = CrdCardTypes.DefaultMaxCards;
        foreach (var option in configuration.EnumerateObject())
        {
            if (option.Name == CrdCardTypes.MaxCards)
            {
                if (option.Value.ValueKind != JsonValueKind.Number || !option.Value.TryGetInt32(out maxCards) || maxCards < 0)
                {
                    error = $"extension.{ExtensionName}.{CrdCardTypes.MaxCards} must be a non-negative integer.";
                    return Default;
                }

                continue;
            }

            if (!CrdCardTypes.All.Any(t => t.Code == option.Name))
            {
                continue;
            }

            switch (option.Value.ValueKind)
            {
                case JsonValueKind.False:
                    disabled.Add(option.Name);
                    break;
                case JsonValueKind.True:
                    break;
                default:
                    error = $"extension.{ExtensionName}.{option.Name} must be true or false.";
                    return Default;
            }
        }

        return new RequestConfiguration(disabled, maxCards);
    }
}
