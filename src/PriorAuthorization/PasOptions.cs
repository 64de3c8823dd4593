using System.ComponentModel.DataAnnotations;

namespace SpinePolicy.PriorAuthorization;

/// <summary>Settings of the PAS slice, bound from "Pas" and validated at start-up.</summary>
internal sealed class PasOptions
{
    public const string SectionName = "Pas";

    /// <summary>How long a certification is valid from the requested service date.</summary>
    [Range(1, 366)]
    public int AuthorizationValidityDays { get; set; } = 90;

    /// <summary>Prefix of the authorization numbers this payer issues.</summary>
    [Required, RegularExpression("^[A-Z0-9]{1,8}$")]
    public string AuthorizationNumberPrefix { get; set; } = "SP097";

    /// <summary>
    /// Deliveries tried per notification; when the last fails, the subscription is put in status
    /// error and its queue dropped (a dead endpoint is not retried forever).
    /// </summary>
    [Range(1, 20)]
    public int NotificationAttempts { get; set; } = 8;

    /// <summary>First retry delay; each further retry doubles it (at most 10 minutes). With the defaults a subscriber may be away about four minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan NotificationRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often each instance looks for due notifications queued by other instances (or due for a retry).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan NotificationPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Plain-http subscription endpoints are refused unless this is set (tests, local runs).</summary>
    public bool AllowHttpSubscriptionEndpoints { get; set; }

    /// <summary>
    /// Host names notifications may go to even though they resolve to loopback, private or
    /// link-local addresses (a subscriber inside the payer's own network). Empty: public addresses only.
    /// </summary>
    public List<string> SubscriptionEndpointAllowList { get; set; } = [];
}
