using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;

namespace SafetySurveillance.EventHubs.Emulator.Broker;

/// <summary>An attached receiver, as the epoch rules see it.</summary>
internal sealed record ActiveReceiver(ListenerLink Link, long? Epoch, string Name);

/// <summary>
/// Applies the service's receiver rules per consumer group and partition: a receiver with an owner level
/// (epoch) disconnects receivers with a lower or equal level and any without one (<c>amqp:link:stolen</c>);
/// a lower level, or a receiver without a level while one with a level exists, is refused; at most five
/// receivers without a level.
/// </summary>
internal sealed class ReceiverRegistry
{
    public const int MaxReceiversWithoutEpoch = 5;
    public static readonly Symbol Stolen = new("amqp:link:stolen");

    private readonly Dictionary<string, List<ActiveReceiver>> receivers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Admits a receiver or throws the error the service would send; returns the receivers to disconnect.</summary>
    /// <exception cref="AmqpException">The receiver is refused.</exception>
    public IReadOnlyList<ActiveReceiver> Admit(string consumerGroup, string partitionId, ActiveReceiver receiver)
    {
        var key = consumerGroup + "/" + partitionId;
        lock (receivers)
        {
            if (!receivers.TryGetValue(key, out var list))
            {
                receivers[key] = list = [];
            }

            list.RemoveAll(r => r.Link.IsClosed);
            var withEpoch = list.Where(r => r.Epoch is not null).ToList();
            List<ActiveReceiver> evicted = [];
            if (receiver.Epoch is { } epoch)
            {
                var higher = withEpoch.FirstOrDefault(r => r.Epoch > epoch);
                if (higher is not null)
                {
                    throw new AmqpException(new Error(Stolen)
                    {
                        Description = $"Receiver '{receiver.Name}' with epoch '{epoch}' cannot be created because a receiver with a higher epoch of '{higher.Epoch}' already exists for consumer group '{consumerGroup}', partition '{partitionId}'.",
                    });
                }

                evicted.AddRange(list);
                list.Clear();
            }
            else if (withEpoch.Count > 0)
            {
                throw new AmqpException(new Error(Stolen)
                {
                    Description = $"Receiver '{receiver.Name}' without an epoch cannot be created because a receiver with epoch '{withEpoch[0].Epoch}' already exists for consumer group '{consumerGroup}', partition '{partitionId}'.",
                });
            }
            else if (list.Count >= MaxReceiversWithoutEpoch)
            {
                throw new AmqpException(new Error(ErrorCode.ResourceLimitExceeded)
                {
                    Description = $"Exceeded the maximum number of allowed receivers per partition in a consumer group which is {MaxReceiversWithoutEpoch}. Partition: {partitionId}, consumer group: {consumerGroup}.",
                });
            }

            list.Add(receiver);
            return evicted;
        }
    }

    public void Remove(string consumerGroup, string partitionId, ListenerLink link)
    {
        lock (receivers)
        {
            if (receivers.TryGetValue(consumerGroup + "/" + partitionId, out var list))
            {
                list.RemoveAll(r => r.Link == link);
            }
        }
    }
}
