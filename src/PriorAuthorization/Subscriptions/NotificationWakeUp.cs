namespace SpinePolicy.PriorAuthorization.Subscriptions;

/// <summary>
/// Lets a decision on this instance wake the dispatcher at once instead of at its next poll; other
/// instances find the notification at their next poll.
/// </summary>
internal sealed class NotificationWakeUp : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another decision woke it first.
            }
        }
    }

    public void Dispose() => _signal.Dispose();

    /// <summary>Returns when woken or after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _signal.WaitAsync(timeout, cancellationToken);
}
