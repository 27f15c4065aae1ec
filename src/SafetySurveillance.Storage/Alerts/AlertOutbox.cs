using Azure.Storage.Queues;
using SafetySurveillance.Domain.Alerts;

namespace SafetySurveillance.Storage.Alerts;

/// <summary>
/// Stores alert decisions so that no send is ever lost: a decision that sends is written to the alert's row together
/// with its <see cref="AlertNotification"/> (the outbox); only after the row is stored is the notification put on the
/// <c>governance-alerts</c> queue, and then the row's outbox is cleared.
/// </summary>
/// <remarks>
/// <para>
/// A crash after the row is written and before the enqueue leaves the notification in the row's outbox;
/// <see cref="FlushAllAsync"/> (every timer run) and <see cref="FlushAsync"/> (every evaluation, for the alerts it
/// reads) enqueue it then. A crash after the enqueue and before the outbox is cleared enqueues it a second time on
/// recovery: the queue then holds two messages with the same <see cref="AlertNotification.DeliveryKey"/>, and delivery
/// is idempotent per key. So every send reaches the queue at least once, and is delivered once.
/// </para>
/// <para>
/// The queue client must use <see cref="QueueMessageEncoding.Base64"/>: the Functions host's queue trigger decodes
/// base64 by default.
/// </para>
/// </remarks>
public class AlertOutbox
{
    /// <summary>The queue that delivery reads.</summary>
    public const string QueueName = "governance-alerts";

    /// <summary>Attempts to clear an outbox whose row keeps changing under us before leaving it to the next flush.</summary>
    private const int MaxClearAttempts = 5;

    private readonly AlertStore _store;
    private readonly QueueClient _queue;

    /// <summary>Creates the outbox over the alert store and the <see cref="QueueName"/> queue.</summary>
    public AlertOutbox(AlertStore store, QueueClient queue)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _queue = queue ?? throw new ArgumentNullException(nameof(queue));
    }

    /// <summary>For substitution in tests.</summary>
    protected AlertOutbox()
    {
        _store = null!;
        _queue = null!;
    }

    /// <summary>
    /// Stores a decision: the new state and, when the decision sends, its notification added to the row's outbox
    /// (after any sends still waiting there). Conditional on <paramref name="previous"/>'s ETag (or on the row not
    /// existing when there was none). Does not enqueue: call <see cref="FlushAsync"/> with the result.
    /// </summary>
    /// <exception cref="AlertConflictException">The row changed since <paramref name="previous"/> was read; nothing was written.</exception>
    public virtual Task<StoredAlert> RecordAsync(StoredAlert? previous, AlertDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        AlertState state = decision.State ?? throw new ArgumentException("A decision to store has a state.", nameof(decision));
        IReadOnlyList<AlertNotification> pending = previous?.PendingSends ?? [];
        if (decision.Send)
        {
            AlertNotification notification = AlertNotification.From(decision);
            if (!pending.Any(p => p.DeliveryKey == notification.DeliveryKey))
            {
                pending = [.. pending, notification];
            }
        }

        return _store.SaveAsync(state, pending, previous?.ETag ?? default, cancellationToken);
    }

    /// <summary>
    /// Enqueues every send in <paramref name="alert"/>'s outbox, oldest first, then removes them from the row (by
    /// delivery key, re-reading the row when it changed meanwhile). Returns how many notifications were enqueued.
    /// </summary>
    public virtual async Task<int> FlushAsync(StoredAlert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.PendingSends.Count == 0)
        {
            return 0;
        }

        var sent = new HashSet<string>(StringComparer.Ordinal);
        foreach (AlertNotification notification in alert.PendingSends)
        {
            await _queue.SendCreatingQueueAsync(notification.ToJson(), cancellationToken).ConfigureAwait(false);
            sent.Add(notification.DeliveryKey);
        }

        StoredAlert? current = alert;
        for (int attempt = 1; current is not null && attempt <= MaxClearAttempts; attempt++)
        {
            var remaining = current.PendingSends.Where(p => !sent.Contains(p.DeliveryKey)).ToList();
            if (remaining.Count == current.PendingSends.Count)
            {
                break; // someone else cleared them already
            }

            try
            {
                await _store.SaveAsync(current.State, remaining, current.ETag, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (AlertConflictException)
            {
                // An evaluation or a reviewer changed the row: keep their change, take out only what we sent.
                current = await _store.GetAsync(alert.Id, cancellationToken).ConfigureAwait(false);
            }
        }

        return sent.Count;
    }

    /// <summary>Flushes every alert whose outbox is not empty (after a crash). Returns how many notifications were enqueued.</summary>
    public virtual async Task<int> FlushAllAsync(CancellationToken cancellationToken = default)
    {
        int enqueued = 0;
        foreach (StoredAlert alert in await _store.GetWithPendingSendsAsync(cancellationToken).ConfigureAwait(false))
        {
            enqueued += await FlushAsync(alert, cancellationToken).ConfigureAwait(false);
        }

        return enqueued;
    }
}
