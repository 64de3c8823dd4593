using System.Text.Json;
using SpinePolicy.CdsHooks.Resolution;

namespace SpinePolicy.CdsHooks.Protocol;

/// <summary>Checks the CDS Hooks 2.0 envelope; every failure is a 422 naming the field (the JSON itself was readable).</summary>
internal static class HookRequestParser
{
    public static HookRequest Parse(JsonElement root, string expectedHook)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw CdsRequestException.Invalid("invalid-request", "The request body must be a JSON object.");
        }

        var hook = RequiredString(root, "hook");
        if (!string.Equals(hook, expectedHook, StringComparison.Ordinal))
        {
            throw CdsRequestException.Invalid("wrong-hook", $"This service answers the '{expectedHook}' hook, but the request is for '{hook}'.");
        }

        var hookInstance = RequiredString(root, "hookInstance");

        if (!root.TryGetProperty("context", out var context) || context.ValueKind != JsonValueKind.Object)
        {
            throw CdsRequestException.Invalid("missing-context", "The request has no 'context' object.");
        }

        Uri? fhirServer = null;
        if (root.TryGetProperty("fhirServer", out var server) && server.ValueKind != JsonValueKind.Null)
        {
            if (server.ValueKind != JsonValueKind.String
                || !Uri.TryCreate(server.GetString(), UriKind.Absolute, out fhirServer)
                || (fhirServer.Scheme != Uri.UriSchemeHttps && fhirServer.Scheme != Uri.UriSchemeHttp))
            {
                throw CdsRequestException.Invalid("invalid-fhir-server", "'fhirServer' must be an absolute http(s) URL.");
            }
        }

        string? accessToken = null;
        if (root.TryGetProperty("fhirAuthorization", out var authorization) && authorization.ValueKind != JsonValueKind.Null)
        {
            if (authorization.ValueKind != JsonValueKind.Object
                || !authorization.TryGetProperty("access_token", out var token)
                || token.ValueKind != JsonValueKind.String
                || string.IsNullOrEmpty(token.GetString()))
            {
                throw CdsRequestException.Invalid("invalid-fhir-authorization", "'fhirAuthorization' must be an object with an 'access_token'.");
            }

            accessToken = token.GetString();
        }

        var prefetch = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (root.TryGetProperty("prefetch", out var prefetchElement) && prefetchElement.ValueKind != JsonValueKind.Null)
        {
            if (prefetchElement.ValueKind != JsonValueKind.Object)
            {
                throw CdsRequestException.Invalid("invalid-prefetch", "'prefetch' must be an object of prefetch keys.");
            }

            foreach (var entry in prefetchElement.EnumerateObject())
            {
                // CDS Hooks: a null prefetch value means the client could not get the data.
                if (entry.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                // Anything else is the FHIR resource (or Bundle) the template asked for: a string such
                // as "Patient/1" or an object without a resourceType is not data the service may ignore.
                var path = $"prefetch.{entry.Name}";
                if (HookData.ResourceTypeOf(entry.Value) is not { } type)
                {
                    throw CdsRequestException.Invalid("invalid-prefetch", $"'{path}' must be a FHIR resource (a JSON object with its resourceType), or null when the EHR could not get the data.", path);
                }

                if (type == "Bundle")
                {
                    HookData.CheckBundle(entry.Value, path, resourcesRequired: false);
                }

                prefetch[entry.Name] = entry.Value;
            }
        }

        JsonElement? extension = root.TryGetProperty("extension", out var ext) ? ext : null;

        return new HookRequest
        {
            Hook = hook,
            HookInstance = hookInstance,
            FhirServer = fhirServer,
            AccessToken = accessToken,
            Context = context,
            Prefetch = prefetch,
            Extension = extension,
        };
    }

    private static string RequiredString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            throw CdsRequestException.Invalid($"missing-{name.ToLowerInvariant()}", $"The request has no '{name}' string.");
        }

        return value.GetString()!;
    }
}
