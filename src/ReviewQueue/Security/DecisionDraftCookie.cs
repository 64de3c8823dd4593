using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using SpinePolicy.ReviewQueue.Cases;

namespace SpinePolicy.ReviewQueue.Security;

/// <summary>
/// Keeps a <see cref="DecisionDraft"/> in the reviewer's browser across a new sign-in: encrypted and
/// signed with the application's Data Protection keys (the database's, so any instance reads it),
/// limited in time, HttpOnly and scoped to /review like the session. A cookie rather than server
/// state because the sign-in round trip may end on another instance, and rather than the address
/// because a note can hold clinical text, which must not reach access logs or the browser history.
/// </summary>
internal sealed class DecisionDraftCookie(IDataProtectionProvider dataProtection, TimeProvider clock)
{
    public const string Name = ".SpinePolicy.Review.Draft";

    /// <summary>Long enough to sign in again (and find a colleague's password reset), short enough not to linger.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);

    /// <summary>
    /// Larger drafts are not kept (the page shows them to copy instead): the cookie's chunks must fit
    /// the server's request-header limit on the way back.
    /// </summary>
    private const int MaxProtectedLength = 16 * 1024;

    private readonly ChunkingCookieManager _cookies = new();
    private readonly ITimeLimitedDataProtector _protector =
        dataProtection.CreateProtector("SpinePolicy.ReviewQueue.DecisionDraft.v1").ToTimeLimitedDataProtector();

    /// <summary>Stores the draft; false when it is too large to carry.</summary>
    public bool TryKeep(HttpContext context, DecisionDraft draft)
    {
        var value = _protector.Protect(JsonSerializer.Serialize(draft), clock.GetUtcNow() + Lifetime);
        if (value.Length > MaxProtectedLength)
        {
            return false;
        }

        _cookies.AppendResponseCookie(context, Name, value, Options(context));
        return true;
    }

    /// <summary>The draft kept for this case, when the signed-in reviewer is the one who entered it.</summary>
    public DecisionDraft? Find(HttpContext context, string caseId, ClaimsPrincipal reviewer)
    {
        if (_cookies.GetRequestCookie(context, Name) is not { Length: > 0 } value)
        {
            return null;
        }

        DecisionDraft? draft;
        try
        {
            draft = JsonSerializer.Deserialize<DecisionDraft>(_protector.Unprotect(value));
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException)
        {
            // Expired, made with a retired key, or not ours: there is nothing to give back.
            return null;
        }

        return draft is not null
            && draft.CaseId == caseId
            && draft.Subject == reviewer.FindFirst("sub")?.Value
            && draft.Issuer == reviewer.FindFirst("sub")?.Issuer
                ? draft
                : null;
    }

    /// <summary>Removes a kept draft for this case once what it held was recorded.</summary>
    public void Forget(HttpContext context, string caseId, ClaimsPrincipal reviewer)
    {
        if (Find(context, caseId, reviewer) is not null)
        {
            _cookies.DeleteCookie(context, Name, Options(context));
        }
    }

    /// <summary>
    /// Removes a kept draft whoever it belongs to: on sign-out, so that no reviewer's clinical text
    /// stays behind in a browser that a colleague may use next.
    /// </summary>
    public void Discard(HttpContext context)
    {
        if (_cookies.GetRequestCookie(context, Name) is { Length: > 0 })
        {
            _cookies.DeleteCookie(context, Name, Options(context));
        }
    }

    private static CookieOptions Options(HttpContext context) => new()
    {
        Path = "/review",
        HttpOnly = true,
        IsEssential = true,

        // Lax: it must come back on the top-level GET the identity provider's redirect ends with.
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps,
        MaxAge = Lifetime,
    };
}
