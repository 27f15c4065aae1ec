using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Functions.EvaluateSignals;
using SafetySurveillance.Storage.Alerts;

namespace SafetySurveillance.Functions.IngestSafetyEvents;

/// <summary>
/// After a batch's signal rows are written, tells <c>EvaluateSignals</c> which (procedure, period) partitions the batch
/// touched: one <c>signals-touched</c> message (more only when the list exceeds the queue's size limit). A crash
/// between the row writes and this send loses only the low-latency evaluation: the <c>EvaluateAllSignals</c> timer
/// evaluates every partition anyway (docs/alerts.md).
/// </summary>
public class SignalsTouchedNotifier
{
    private readonly StorageQueues? _queues;

    /// <summary>Creates the notifier over the app's queues.</summary>
    public SignalsTouchedNotifier(StorageQueues queues) => _queues = queues ?? throw new ArgumentNullException(nameof(queues));

    /// <summary>For substitution in tests.</summary>
    protected SignalsTouchedNotifier()
    {
    }

    /// <summary>Sends the partitions of <paramref name="keys"/>; nothing when there are none.</summary>
    public virtual async Task NotifyAsync(IEnumerable<SignalKey> keys, CancellationToken cancellationToken)
    {
        var queue = _queues!.Get(SignalsTouchedMessage.QueueName);
        foreach (var message in SignalsTouchedMessage.Compose(keys))
        {
            await queue.SendCreatingQueueAsync(message.ToJson(), cancellationToken).ConfigureAwait(false);
        }
    }
}
