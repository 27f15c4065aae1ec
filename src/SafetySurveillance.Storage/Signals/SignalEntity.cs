using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Storage.Signals;

/// <summary>
/// Maps a <see cref="SignalRow"/> to and from a table entity through <see cref="SignalRowProperties"/>, within the
/// Table service's limits.
/// </summary>
/// <remarks>
/// <para>
/// <b>Property count.</b> Azure allows 252 properties besides PartitionKey, RowKey and Timestamp (Azurite accepts
/// more, so this is checked here). The flat form has a fixed set of numeric properties (at most 165) and packs
/// everything that grows with the data (per-IMDRF-code counts, follow-up cohorts, partition watermarks) into
/// string properties, so the count cannot grow with the data.
/// </para>
/// <para>
/// <b>String size.</b> A string property may hold 64 KiB, i.e. 32,768 UTF-16 characters. A packed string
/// longer than <see cref="MaxStringChars"/> is stored in parts: <c>ImdrfCodes</c> holds the first part and
/// <c>ImdrfCodes__2</c>, <c>ImdrfCodes__3</c>, … the rest, joined again on read. (All 1,268 IMDRF 2023 codes with
/// ten-digit counts need about 24,000 characters, so parts are a safety margin, not the normal case.)
/// </para>
/// <para><b>Entity size.</b> An entity may hold 1 MiB; a row that would exceed it is refused before the write.</para>
/// <para>
/// <b>Integer types.</b> Counters are 64-bit, but a value that fits 32 bits is stored as <c>Edm.Int32</c> (a plain JSON
/// number) rather than <c>Edm.Int64</c> (a string plus an <c>@odata.type</c> annotation): half the JSON per property for
/// the SDK to write and the service to parse. <see cref="SignalRowProperties.TryFromProperties"/> reads either type, so
/// rows written before keep being read; a reader of the raw table must accept both (a sum of squares grows past 32 bits
/// and is then stored as <c>Edm.Int64</c>).
/// </para>
/// </remarks>
internal static class SignalEntity
{
    /// <summary>Properties an entity may carry besides the three system properties (Azure's limit).</summary>
    public const int MaxProperties = 252;

    /// <summary>The longest string part written (64 KiB is 32,768 UTF-16 characters; kept below with a margin).</summary>
    public const int MaxStringChars = 30_000;

    /// <summary>Azure's entity size limit, 1 MiB, less a margin for keys and the system properties.</summary>
    public const int MaxEntityBytes = (1024 * 1024) - (8 * 1024);

    private const string PartSeparator = "__";

    public static TableEntity ToEntity(SignalKey key, SignalRow row) => ToEntity(key, row, out _);

    /// <summary>Builds the entity and estimates its size in bytes as the Table service counts it.</summary>
    public static TableEntity ToEntity(SignalKey key, SignalRow row, out long bytes)
    {
        var entity = new TableEntity(key.PartitionKey, key.RowKey);
        bytes = 4 + ((key.PartitionKey.Length + key.RowKey.Length) * 2);
        foreach ((string name, object value) in SignalRowProperties.ToProperties(row))
        {
            if (value is string text && text.Length > MaxStringChars)
            {
                for (int part = 0; part * MaxStringChars < text.Length; part++)
                {
                    int start = part * MaxStringChars;
                    string partName = part == 0 ? name : name + PartSeparator + (part + 1).ToString(CultureInfo.InvariantCulture);
                    string chunk = text.Substring(start, Math.Min(MaxStringChars, text.Length - start));
                    entity[partName] = chunk;
                    bytes += Size(partName, chunk);
                }
            }
            else
            {
                // A count that fits 32 bits is stored as Edm.Int32: a plain JSON number, where Edm.Int64 needs a string
                // and an odata.type annotation, which the Table SDK and the service (Azurite especially) pay for per
                // property. Values are read back as 64-bit integers whichever type they were stored with.
                entity[name] = value is long number && number is >= int.MinValue and <= int.MaxValue ? (int)number : value;
                bytes += Size(name, value);
            }
        }

        int properties = entity.Count - 2; // PartitionKey and RowKey are in the dictionary too
        if (properties > MaxProperties)
        {
            throw new SignalRowFormatException($"The signal row {key} needs {properties} properties; a table entity may have {MaxProperties}.");
        }

        if (bytes > MaxEntityBytes)
        {
            throw new SignalRowFormatException($"The signal row {key} needs about {bytes} bytes; a table entity may hold 1 MiB.");
        }

        return entity;
    }

    public static SignalRow ToRow(TableEntity entity)
    {
        var properties = new Dictionary<string, object>(entity.Count, StringComparer.Ordinal);
        List<(string Name, int Part, string Text)>? parts = null;
        foreach ((string name, object value) in entity)
        {
            int separator = name.LastIndexOf(PartSeparator, StringComparison.Ordinal);
            if (separator > 0
                && int.TryParse(name.AsSpan(separator + PartSeparator.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int part)
                && part >= 2)
            {
                if (value is not string text)
                {
                    throw new SignalRowFormatException($"The signal row {entity.PartitionKey}/{entity.RowKey} has a non-string part '{name}'.");
                }

                (parts ??= []).Add((name[..separator], part, text));
                continue;
            }

            properties[name] = value;
        }

        if (parts is not null)
        {
            foreach (IGrouping<string, (string Name, int Part, string Text)> group in parts.GroupBy(p => p.Name, StringComparer.Ordinal))
            {
                if (!properties.TryGetValue(group.Key, out object? first) || first is not string head)
                {
                    throw new SignalRowFormatException($"The signal row {entity.PartitionKey}/{entity.RowKey} has parts of '{group.Key}' without its first part.");
                }

                var builder = new StringBuilder(head);
                int expected = 2;
                foreach ((string _, int part, string text) in group.OrderBy(p => p.Part))
                {
                    if (part != expected++)
                    {
                        throw new SignalRowFormatException($"The signal row {entity.PartitionKey}/{entity.RowKey} misses part {expected - 1} of '{group.Key}'.");
                    }

                    builder.Append(text);
                }

                properties[group.Key] = builder.ToString();
            }
        }

        if (!SignalRowProperties.TryFromProperties(properties, out SignalRow row, out string? error))
        {
            throw new SignalRowFormatException($"The signal row {entity.PartitionKey}/{entity.RowKey} cannot be read: {error}");
        }

        return row;
    }

    public static SignalKey KeyOf(TableEntity entity) =>
        SignalKey.TryParse(entity.PartitionKey, entity.RowKey, out SignalKey key)
            ? key
            : throw new SignalRowFormatException($"'{entity.PartitionKey}'/'{entity.RowKey}' is not a signal row key.");

    // The Table service's size rule: 2 bytes per name character plus the value's size (8 for a long, 2 per character + 4 for a string).
    private static long Size(string name, object value) => 8 + (name.Length * 2) + value switch
    {
        string text => 4 + (text.Length * 2),
        _ => 8,
    };
}
