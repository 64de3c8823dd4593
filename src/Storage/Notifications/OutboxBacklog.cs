namespace SpinePolicy.Storage.Notifications;

/// <summary>How many notifications wait, and since when the oldest one has (null when none).</summary>
public sealed record OutboxBacklog(int Waiting, DateTimeOffset? OldestQueuedAt);
