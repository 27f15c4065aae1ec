using Amqp;
using Amqp.Framing;

namespace SafetySurveillance.EventHubs.Amqp;

/// <summary>
/// Waits for a link's attach to complete. A refused attach arrives as a remote attach with a null terminus
/// followed by a detach carrying the error, so completion waits for that detach instead.
/// </summary>
internal sealed class AmqpLinkAttacher
{
    private readonly TaskCompletionSource<Attach> attached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public OnAttached OnAttached => (link, attach) =>
    {
        var terminus = link is IReceiverLink ? (object?)attach.Source : attach.Target;
        if (terminus is not null)
        {
            attached.TrySetResult(attach);
        }
    };

    public async Task<Attach> WaitAsync(Link link, string? eventHubName, string operation, TimeSpan timeout, CancellationToken cancellationToken)
    {
        link.AddClosedCallback((_, error) => attached.TrySetException(AmqpErrors.FromError(error, eventHubName, operation)));
        try
        {
            return await attached.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            link.Close(TimeSpan.Zero);
            throw;
        }
    }
}
