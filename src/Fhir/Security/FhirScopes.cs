using System.Security.Claims;

namespace SpinePolicy.Fhir.Security;

/// <summary>
/// The one place SMART system scopes are interpreted. Accepts v1 (<c>system/Claim.read</c>,
/// <c>system/Claim.write</c>, <c>system/Claim.*</c>, <c>system/*.*</c>) and v2
/// (<c>system/Claim.rs</c>, <c>system/*.cruds</c>). User scopes (<c>user/Claim.c</c>) count only for
/// a person signed in to a provider organization's app (<see cref="FhirCaller.ActsForSignedInUser"/>);
/// patient scopes never do: this API serves systems and provider staff, not patients.
/// </summary>
public static class FhirScopes
{
    private const string SystemPrefix = "system/";
    private const string UserPrefix = "user/";
    private const string V2Letters = "cruds";

    /// <summary>The scopes a validated token carries ("scope" as a space-separated string or "scp" values).</summary>
    public static IEnumerable<string> Granted(ClaimsPrincipal principal) =>
        principal.Claims
            .Where(c => c.Type is "scope" or "scp")
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public static bool Allows(ClaimsPrincipal principal, string resourceType, FhirAccess access, bool userScopesCount = false) =>
        Granted(principal).Any(scope => Allows(scope, resourceType, access, userScopesCount));

    /// <summary>True when this one scope grants <paramref name="access"/> to <paramref name="resourceType"/>.</summary>
    public static bool Allows(string scope, string resourceType, FhirAccess access, bool userScopesCount = false)
    {
        var prefix = scope.StartsWith(SystemPrefix, StringComparison.Ordinal) ? SystemPrefix
            : userScopesCount && scope.StartsWith(UserPrefix, StringComparison.Ordinal) ? UserPrefix
            : null;
        if (prefix is null)
        {
            return false;
        }

        var body = scope.AsSpan(prefix.Length);
        var dot = body.IndexOf('.');
        if (dot <= 0 || dot == body.Length - 1)
        {
            return false;
        }

        var type = body[..dot];
        var permission = body[(dot + 1)..];

        // v2 scopes may carry a query ("system/Observation.rs?category=…"); we cannot honour a
        // partial grant, so such a scope grants nothing rather than everything.
        if (permission.Contains('?'))
        {
            return false;
        }

        if (!(type is "*" || type.SequenceEqual(resourceType)))
        {
            return false;
        }

        return permission switch
        {
            "*" => true,
            "read" => access is FhirAccess.Read or FhirAccess.Search,
            "write" => access is FhirAccess.Create or FhirAccess.Update or FhirAccess.Delete,
            _ => IsV2(permission) && permission.Contains(Letter(access)),
        };
    }

    private static char Letter(FhirAccess access) => access switch
    {
        FhirAccess.Create => 'c',
        FhirAccess.Read => 'r',
        FhirAccess.Update => 'u',
        FhirAccess.Delete => 'd',
        _ => 's',
    };

    // v2 permissions are letters of "cruds" in that order, each at most once.
    private static bool IsV2(ReadOnlySpan<char> permission)
    {
        var last = -1;
        foreach (var letter in permission)
        {
            var position = V2Letters.IndexOf(letter, StringComparison.Ordinal);
            if (position <= last)
            {
                return false;
            }

            last = position;
        }

        return permission.Length > 0;
    }
}
