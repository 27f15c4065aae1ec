using Azure;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Storage.Signals;

/// <summary>A row as last read or written by this process, with its ETag. Never mutated once cached.</summary>
internal sealed record CachedSignalRow(ETag ETag, SignalRow Row);

/// <summary>
/// A bounded least-recently-used map of signal rows. A cached row may be stale (another process wrote since);
/// writing with its ETag then fails with 412 and the row is read again, so staleness costs a round trip, never
/// correctness. Thread-safe.
/// </summary>
internal sealed class SignalRowCache
{
    private readonly int _capacity;
    private readonly Dictionary<SignalKey, LinkedListNode<KeyValuePair<SignalKey, CachedSignalRow>>> _map = [];
    private readonly LinkedList<KeyValuePair<SignalKey, CachedSignalRow>> _order = new();
    private readonly Lock _gate = new();

    public SignalRowCache(int capacity) => _capacity = capacity;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _map.Count;
            }
        }
    }

    public CachedSignalRow? Get(SignalKey key)
    {
        lock (_gate)
        {
            if (!_map.TryGetValue(key, out var node))
            {
                return null;
            }

            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value.Value;
        }
    }

    public void Set(SignalKey key, CachedSignalRow row)
    {
        if (_capacity == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_map.TryGetValue(key, out var existing))
            {
                _order.Remove(existing);
            }
            else if (_map.Count >= _capacity)
            {
                var oldest = _order.Last!;
                _order.RemoveLast();
                _map.Remove(oldest.Value.Key);
            }

            var node = _order.AddFirst(new KeyValuePair<SignalKey, CachedSignalRow>(key, row));
            _map[key] = node;
        }
    }

    public void Remove(SignalKey key)
    {
        lock (_gate)
        {
            if (_map.Remove(key, out var node))
            {
                _order.Remove(node);
            }
        }
    }
}
