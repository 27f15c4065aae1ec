using System.Buffers;
using System.Globalization;
using System.Text.Json;
using SafetySurveillance.CustomHandler.Invocation;

namespace SafetySurveillance.CustomHandler.Bindings;

/// <summary>Which partition a batch came from (the host's <c>PartitionContext</c> metadata).</summary>
public sealed record EventHubsPartitionContext(
    string FullyQualifiedNamespace,
    string EventHubName,
    string ConsumerGroup,
    string PartitionId);

/// <summary>One event of an Event Hubs trigger batch with the metadata the host passes beside it.</summary>
/// <param name="Body">The event body's bytes: exact with <c>dataType: binary</c> (base64 on the wire); with
/// <c>dataType: string</c> the host has already decoded the body as UTF-8, so invalid bytes arrive as U+FFFD.</param>
/// <param name="SequenceNumber">The event's sequence number in its partition.</param>
/// <param name="Offset">The event's offset, as the service's string.</param>
/// <param name="EnqueuedTimeUtc">When the service accepted the event.</param>
/// <param name="PartitionKey">The partition key it was sent with, if any.</param>
/// <param name="Properties">Application properties (for CloudEvents binary mode: <c>cloudEvents_*</c>).</param>
/// <param name="SystemProperties">AMQP system properties and annotations (e.g. <c>x-opt-publisher</c>, <c>content-type</c>).</param>
public sealed record EventHubsTriggerEvent(
    ReadOnlyMemory<byte> Body,
    long SequenceNumber,
    string Offset,
    DateTimeOffset EnqueuedTimeUtc,
    string? PartitionKey,
    IReadOnlyDictionary<string, JsonElement> Properties,
    IReadOnlyDictionary<string, JsonElement> SystemProperties)
{
    /// <summary>The publisher the event was sent through (<c>&lt;hub&gt;/Publishers/&lt;name&gt;</c>), if any.</summary>
    public string? Publisher =>
        SystemProperties.TryGetValue(EventHubsTriggerBatch.PublisherAnnotation, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}

/// <summary>How the host encodes event bodies in <c>Data</c>: the binding's <c>dataType</c>.</summary>
public enum EventBodyEncoding
{
    /// <summary><c>dataType: binary</c>: each body is a base64 string of the exact bytes.</summary>
    Binary,

    /// <summary><c>dataType: string</c>: each body is the UTF-8-decoded text.</summary>
    String,
}

/// <summary>
/// An Event Hubs trigger invocation with <c>cardinality: many</c>: the bodies in
/// <c>Data.{bindingName}</c> and per-event metadata in the <c>*Array</c> entries of <c>Metadata</c>, index-aligned.
/// Reads both encodings the host may use (native JSON arrays, or arrays JSON-encoded as strings).
/// </summary>
public sealed record EventHubsTriggerBatch(EventHubsPartitionContext PartitionContext, IReadOnlyList<EventHubsTriggerEvent> Events)
{
    /// <summary>The annotation that names the publisher an event was sent to.</summary>
    public const string PublisherAnnotation = "x-opt-publisher";

    private static readonly IReadOnlyDictionary<string, JsonElement> Empty = new Dictionary<string, JsonElement>();

    /// <summary>Reads a batch from an invocation request; returns problems as an exception message (the request is the host's, not a user's).</summary>
    public static EventHubsTriggerBatch Read(InvocationRequest request, EventBodyEncoding encoding, string bindingName = "events")
    {
        ArgumentNullException.ThrowIfNull(request);
        return Read(
            name => request.Data.TryGetValue(name, out var value) ? value : null,
            name => request.Metadata.TryGetValue(name, out var value) ? value : null,
            encoding,
            bindingName);
    }

    /// <summary>
    /// Reads a batch straight from the invocation request's JSON (<c>{"Data": …, "Metadata": …}</c>, as parsed from the
    /// request body), without first copying every value into an <see cref="InvocationRequest"/>: the cheaper path for
    /// batches of many events. The events do not refer to <paramref name="invocation"/>'s document, which may be disposed
    /// afterwards.
    /// </summary>
    public static EventHubsTriggerBatch Read(JsonElement invocation, EventBodyEncoding encoding, string bindingName = "events")
    {
        if (invocation.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("The invocation request is not a JSON object.");
        }

        var data = Section(invocation, "Data");
        var metadata = Section(invocation, "Metadata");
        return Read(
            name => data is { } d && d.TryGetProperty(name, out var value) ? value : null,
            name => metadata is { } m && m.TryGetProperty(name, out var value) ? value : null,
            encoding,
            bindingName);

        static JsonElement? Section(JsonElement invocation, string name)
        {
            foreach (var property in invocation.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.Object)
                {
                    return property.Value;
                }
            }

            return null;
        }
    }

    private static EventHubsTriggerBatch Read(Func<string, JsonElement?> data, Func<string, JsonElement?> metadata, EventBodyEncoding encoding, string bindingName)
    {
        // The host JSON-encodes arrays as strings; each such string is unescaped into a pooled buffer and parsed there
        // (no UTF-16 copy, no large-object-heap array), and everything read is copied out before the buffers go back.
        using var arrays = new HostArrays();
        var bodies = arrays.Unwrap(data(bindingName));
        if (bodies is not { ValueKind: JsonValueKind.Array } bodyArray)
        {
            throw new FormatException($"Data.{bindingName} is not an array of event bodies.");
        }

        var count = bodyArray.GetArrayLength();
        JsonElement[]? MetadataArray(string name)
        {
            var value = arrays.Unwrap(metadata(name));
            if (value is not { } array || array.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() != count)
            {
                throw new FormatException($"Metadata.{name} must be an array of {count} entries, one per event.");
            }

            return [.. array.EnumerateArray()];
        }

        var sequenceNumbers = MetadataArray("SequenceNumberArray");
        var offsets = MetadataArray("OffsetStringArray") ?? MetadataArray("OffsetArray");
        var enqueued = MetadataArray("EnqueuedTimeUtcArray");
        var keys = MetadataArray("PartitionKeyArray");
        var properties = MetadataArray("PropertiesArray");
        var system = MetadataArray("SystemPropertiesArray");
        if (sequenceNumbers is null)
        {
            throw new FormatException("Metadata.SequenceNumberArray is missing; exactly-once aggregation needs sequence numbers.");
        }

        var context = ReadPartitionContext(arrays.Unwrap(metadata("PartitionContext")));
        var events = new EventHubsTriggerEvent[count];
        var i = 0;
        foreach (var body in bodyArray.EnumerateArray())
        {
            events[i] = new EventHubsTriggerEvent(
                ReadBody(body, encoding),
                ReadInt64(sequenceNumbers[i]),
                offsets is null ? "" : ReadString(offsets[i]) ?? "",
                enqueued is null ? DateTimeOffset.MinValue : ReadTime(enqueued[i]),
                keys is null ? null : ReadString(keys[i]),
                properties is null ? Empty : ReadObject(properties[i]),
                system is null ? Empty : ReadObject(system[i]));
            i++;
        }

        return new EventHubsTriggerBatch(context, events);
    }

    /// <summary>Writes this batch the way the Functions host does (arrays JSON-encoded as strings), for DevHost and tests.</summary>
    public InvocationRequest ToInvocationRequest(EventBodyEncoding encoding, string bindingName = "events")
    {
        var events = Events;
        var request = new InvocationRequest();
        var bodyBytes = events.Sum(e => encoding == EventBodyEncoding.Binary ? ((e.Body.Length + 2) / 3 * 4) + 3 : (e.Body.Length * 2) + 3);
        request.Data[bindingName] = HostEncoded(bodyBytes, writer =>
        {
            foreach (var e in events)
            {
                if (encoding == EventBodyEncoding.Binary)
                {
                    writer.WriteBase64StringValue(e.Body.Span);
                }
                else
                {
                    writer.WriteStringValue(System.Text.Encoding.UTF8.GetString(e.Body.Span));
                }
            }
        });
        request.Metadata["PartitionContext"] = JsonSerializer.SerializeToElement(PartitionContext, CustomHandlerJson.Options);
        request.Metadata["SequenceNumberArray"] = HostEncoded(events.Count * 8, writer =>
        {
            foreach (var e in events)
            {
                writer.WriteNumberValue(e.SequenceNumber);
            }
        });
        request.Metadata["OffsetArray"] = HostEncoded(events.Count * 8, writer =>
        {
            foreach (var e in events)
            {
                writer.WriteNumberValue(long.TryParse(e.Offset, NumberStyles.Integer, CultureInfo.InvariantCulture, out var o) ? o : -1);
            }
        });
        request.Metadata["OffsetStringArray"] = HostEncoded(events.Count * 10, writer =>
        {
            foreach (var e in events)
            {
                writer.WriteStringValue(e.Offset);
            }
        });
        request.Metadata["EnqueuedTimeUtcArray"] = HostEncoded(events.Count * 32, writer =>
        {
            foreach (var e in events)
            {
                writer.WriteStringValue(e.EnqueuedTimeUtc.UtcDateTime);
            }
        });
        request.Metadata["PartitionKeyArray"] = HostEncoded(events.Count * 8, writer =>
        {
            foreach (var e in events)
            {
                if (e.PartitionKey is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteStringValue(e.PartitionKey);
                }
            }
        });
        request.Metadata["PropertiesArray"] = HostEncoded(events.Count * 8, writer =>
        {
            foreach (var e in events)
            {
                WriteObject(writer, e.Properties);
            }
        });
        request.Metadata["SystemPropertiesArray"] = HostEncoded(events.Count * 256, writer =>
        {
            foreach (var e in events)
            {
                WriteObject(writer, e.SystemProperties);
            }
        });
        return request;
    }

    /// <summary>A JSON array written by <paramref name="writeItems"/>, JSON-encoded as a string, as the host sends arrays.</summary>
    private static JsonElement HostEncoded(int sizeHint, Action<Utf8JsonWriter> writeItems)
    {
        // Both intermediate texts live in pooled buffers; only the element's own copy is allocated.
        var options = new JsonWriterOptions { Encoder = CustomHandlerJson.Options.Encoder, SkipValidation = true };
        using var array = new PooledBufferWriter(sizeHint + 256);
        using (var writer = new Utf8JsonWriter(array, options))
        {
            writer.WriteStartArray();
            writeItems(writer);
            writer.WriteEndArray();
        }

        using var encoded = new PooledBufferWriter(array.Written.Length + (array.Written.Length / 4) + 256);
        using (var writer = new Utf8JsonWriter(encoded, options))
        {
            // In segments: escaping one large value would rent a buffer six times its size.
            var text = array.Written;
            const int Segment = 16 * 1024;
            do
            {
                var length = Math.Min(Segment, text.Length);
                writer.WriteStringValueSegment(text[..length], isFinalSegment: length == text.Length);
                text = text[length..];
            }
            while (!text.IsEmpty);
        }

        var reader = new Utf8JsonReader(encoded.Written);
        return JsonElement.ParseValue(ref reader);
    }

    /// <summary>An <see cref="IBufferWriter{T}"/> over arrays rented from the shared pool, returned when disposed.</summary>
    private sealed class PooledBufferWriter(int initialCapacity) : IBufferWriter<byte>, IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));
        private int _written;

        public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _written);

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _buffer.AsMemory(_written);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _buffer.AsSpan(_written);
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _written = 0;
        }

        private void Ensure(int sizeHint)
        {
            if (_buffer.Length - _written >= Math.Max(sizeHint, 1))
            {
                return;
            }

            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _written + Math.Max(sizeHint, 1)));
            _buffer.AsSpan(0, _written).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, IReadOnlyDictionary<string, JsonElement> values)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in values)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private static ReadOnlyMemory<byte> ReadBody(JsonElement body, EventBodyEncoding encoding)
    {
        if (body.ValueKind != JsonValueKind.String)
        {
            // A body the host could parse as JSON may arrive as a JSON value: keep its text.
            return System.Text.Encoding.UTF8.GetBytes(body.GetRawText());
        }

        if (encoding == EventBodyEncoding.Binary)
        {
            return body.GetBytesFromBase64();
        }

        return System.Text.Encoding.UTF8.GetBytes(body.GetString() ?? "");
    }

    private static EventHubsPartitionContext ReadPartitionContext(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.Object } context)
        {
            throw new FormatException("Metadata.PartitionContext is missing; the partition id is needed for watermarks.");
        }

        string Get(string name) =>
            context.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.String } v
                ? v.GetString() ?? ""
                : "";

        var partitionId = Get(nameof(EventHubsPartitionContext.PartitionId));
        if (partitionId.Length == 0)
        {
            throw new FormatException("Metadata.PartitionContext.PartitionId is missing.");
        }

        return new EventHubsPartitionContext(
            Get(nameof(EventHubsPartitionContext.FullyQualifiedNamespace)),
            Get(nameof(EventHubsPartitionContext.EventHubName)),
            Get(nameof(EventHubsPartitionContext.ConsumerGroup)),
            partitionId);
    }

    private static long ReadInt64(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetInt64(),
        JsonValueKind.String => long.Parse(value.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"Expected a number, found {value.ValueKind}."),
    };

    private static string? ReadString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null => null,
        _ => value.GetRawText(),
    };

    private static DateTimeOffset ReadTime(JsonElement value)
    {
        var text = value.GetString();
        return DateTimeOffset.Parse(text!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }

    private static IReadOnlyDictionary<string, JsonElement> ReadObject(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return Empty;
        }

        // One copy of the event's object; its properties refer into it.
        var owned = value.Clone();
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in owned.EnumerateObject())
        {
            result[property.Name] = property.Value;
        }

        return result;
    }

    /// <summary>
    /// Parses arrays and objects that the host JSON-encoded as strings from pooled buffers, and returns the buffers when
    /// disposed; values that are already arrays or objects pass through.
    /// </summary>
    private sealed class HostArrays : IDisposable
    {
        private readonly List<(JsonDocument Document, byte[] Buffer)> _parsed = [];

        public JsonElement? Unwrap(JsonElement? value)
        {
            if (value is not { ValueKind: JsonValueKind.String } text)
            {
                return value;
            }

            // The string's unescaped UTF-8 is never longer than its escaped form.
            var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(text);
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(raw.Length, 1));
            var kept = false;
            try
            {
                var reader = new Utf8JsonReader(raw);
                reader.Read();
                var length = reader.CopyString(buffer);
                var first = buffer.AsSpan(0, length).TrimStart(" \t\r\n"u8);
                if (first.IsEmpty || (first[0] != (byte)'[' && first[0] != (byte)'{'))
                {
                    return value;
                }

                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(buffer.AsMemory(0, length));
                }
                catch (JsonException)
                {
                    return value;
                }

                _parsed.Add((document, buffer));
                kept = true;
                return document.RootElement;
            }
            finally
            {
                if (!kept)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }

        public void Dispose()
        {
            foreach (var (document, buffer) in _parsed)
            {
                document.Dispose();
                ArrayPool<byte>.Shared.Return(buffer);
            }

            _parsed.Clear();
        }
    }
}
