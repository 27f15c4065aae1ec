using Azure;
using Azure.Storage.Queues;

namespace SafetySurveillance.Storage.Alerts;

/// <summary>Sending to a queue that may not exist yet (a fresh storage account, a fresh Azurite).</summary>
public static class QueueSending
{
    /// <summary>
    /// Sends <paramref name="messageText"/>; when the queue does not exist, creates it and sends again. The client's
    /// <see cref="QueueClientOptions.MessageEncoding"/> decides how the text is encoded on the wire.
    /// </summary>
    public static async Task SendCreatingQueueAsync(this QueueClient queue, string messageText, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(messageText);
        try
        {
            await queue.SendMessageAsync(messageText, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await queue.SendMessageAsync(messageText, cancellationToken).ConfigureAwait(false);
        }
    }
}
