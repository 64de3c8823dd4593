using System.Threading.Channels;

namespace SpinePolicy.PriorAuthorization.Subscriptions;

/// <summary>
/// Notifications waiting to be sent. Delivery happens after the decision is committed and off the
/// reviewer's request, so a slow or failing subscriber never delays or undoes a decision.
/// </summary>
public sealed class NotificationQueue
{
    private readonly Channel<NotificationDelivery> _channel = Channel.CreateBounded<NotificationDelivery>(new BoundedChannelOptions(10_000)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    public ValueTask EnqueueAsync(NotificationDelivery delivery, CancellationToken cancellationToken) =>
        _channel.Writer.WriteAsync(delivery, cancellationToken);

    public IAsyncEnumerable<NotificationDelivery> ReadAllAsync(CancellationToken cancellationToken) =>
        _channel.Reader.ReadAllAsync(cancellationToken);
}
