using System.ComponentModel.DataAnnotations;

namespace SpinePolicy.PriorAuthorization;

/// <summary>Settings of the PAS slice, bound from "Pas" and validated at start-up.</summary>
public sealed class PasOptions
{
    public const string SectionName = "Pas";

    /// <summary>How long a certification is valid from the requested service date.</summary>
    [Range(1, 366)]
    public int AuthorizationValidityDays { get; set; } = 90;

    /// <summary>Prefix of the authorization numbers this payer issues.</summary>
    [Required, RegularExpression("^[A-Z0-9]{1,8}$")]
    public string AuthorizationNumberPrefix { get; set; } = "SP097";

    /// <summary>Notification deliveries tried per event before it is given up (logged).</summary>
    [Range(1, 10)]
    public int NotificationAttempts { get; set; } = 4;

    /// <summary>First retry delay; each further retry doubles it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan NotificationRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Plain-http subscription endpoints are refused unless this is set (tests, local runs).</summary>
    public bool AllowHttpSubscriptionEndpoints { get; set; }
}
