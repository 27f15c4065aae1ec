using Amqp;

namespace SafetySurveillance.EventHubs.Amqp;

internal static class AmqpClose
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Closes an AMQP object without waiting long and without throwing: closing is best effort.</summary>
    public static async Task QuietlyAsync(AmqpObject? amqpObject)
    {
        if (amqpObject is null || amqpObject.IsClosed)
        {
            return;
        }

        try
        {
            await amqpObject.CloseAsync(CloseTimeout, null).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is AmqpException or TimeoutException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // The peer may already be gone; nothing more can be done.
        }
    }
}
