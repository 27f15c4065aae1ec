namespace SafetySurveillance.EventHubs.Emulator.Broker;

/// <summary>What a link address names.</summary>
internal enum EntityKind
{
    Hub,
    Partition,
    Publisher,
    ConsumerPartition,
}

/// <summary>
/// A parsed link address: <c>hub</c>, <c>hub/Partitions/id</c>, <c>hub/Publishers/name</c> or
/// <c>hub/ConsumerGroups/group/Partitions/id</c>. A leading <c>/</c> or a full <c>amqp(s)://host/</c> or
/// <c>sb://host/</c> prefix is accepted; segment names compare case-insensitively.
/// </summary>
internal sealed record EntityAddress(EntityKind Kind, string Hub, string? PartitionId, string? Publisher, string? ConsumerGroup)
{
    public static bool TryParse(string? address, out EntityAddress parsed)
    {
        parsed = null!;
        if (string.IsNullOrWhiteSpace(address))
        {
            return false;
        }

        var path = address;
        var scheme = path.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            var slash = path.IndexOf('/', scheme + 3);
            path = slash < 0 ? string.Empty : path[(slash + 1)..];
        }

        var parts = path.Trim('/').Split('/');
        if (parts.Length == 0 || parts[0].Length == 0)
        {
            return false;
        }

        var hub = parts[0];
        if (parts.Length == 1)
        {
            parsed = new EntityAddress(EntityKind.Hub, hub, null, null, null);
            return true;
        }

        if (parts.Length == 3 && Is(parts[1], "Partitions"))
        {
            parsed = new EntityAddress(EntityKind.Partition, hub, parts[2], null, null);
            return true;
        }

        if (parts.Length == 3 && Is(parts[1], "Publishers"))
        {
            parsed = new EntityAddress(EntityKind.Publisher, hub, null, parts[2], null);
            return true;
        }

        if (parts.Length == 5 && Is(parts[1], "ConsumerGroups") && Is(parts[3], "Partitions"))
        {
            parsed = new EntityAddress(EntityKind.ConsumerPartition, hub, parts[4], null, parts[2]);
            return true;
        }

        return false;
    }

    /// <summary>The path as the service spells it, for messages and audience checks.</summary>
    public string Path => Kind switch
    {
        EntityKind.Hub => Hub,
        EntityKind.Partition => $"{Hub}/Partitions/{PartitionId}",
        EntityKind.Publisher => $"{Hub}/Publishers/{Publisher}",
        _ => $"{Hub}/ConsumerGroups/{ConsumerGroup}/Partitions/{PartitionId}",
    };

    private static bool Is(string value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);
}
