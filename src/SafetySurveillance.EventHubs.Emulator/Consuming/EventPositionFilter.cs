using System.Globalization;
using System.Text.RegularExpressions;
using Amqp.Framing;
using Amqp.Types;
using SafetySurveillance.EventHubs.Emulator.Storage;

namespace SafetySurveillance.EventHubs.Emulator.Consuming;

/// <summary>What the receiver's selector filter asks for.</summary>
internal enum StartKind
{
    Earliest,
    Latest,
    Offset,
    SequenceNumber,
    EnqueuedTime,
}

/// <summary>
/// The receiver's start position, from the <c>apache.org:selector-filter:string</c> filter:
/// <c>amqp.annotation.x-opt-offset &gt; '-1'</c> (JS quotes values) or <c>... &gt; -1</c> (.NET does not);
/// names <c>x-opt-offset</c>, <c>x-opt-sequence-number</c>, <c>x-opt-enqueued-time</c> (Unix milliseconds) and
/// the legacy <c>x-opt-enqueuedtimeutc</c>; operators <c>&gt;</c> and <c>&gt;=</c>; <c>-1</c> is the start of
/// the partition and <c>@latest</c> its end.
/// </summary>
internal sealed partial record EventPositionFilter(StartKind Kind, long Value, bool Inclusive)
{
    public const string SelectorFilterName = "apache.org:selector-filter:string";

    public static readonly EventPositionFilter Earliest = new(StartKind.Earliest, -1, false);

    /// <summary>Reads the filter set of a receiver's source; no filter means the start of the partition.</summary>
    /// <exception cref="FormatException">The expression is not one the service understands.</exception>
    public static EventPositionFilter FromSource(Source? source)
    {
        var filters = source?.FilterSet;
        if (filters is null)
        {
            return Earliest;
        }

        foreach (var entry in filters)
        {
            var name = entry.Key switch
            {
                Symbol symbol => (string)symbol,
                string text => text,
                _ => null,
            };
            if (name is not null && !name.Equals(SelectorFilterName, StringComparison.Ordinal))
            {
                continue;
            }

            var expression = entry.Value switch
            {
                DescribedValue described => described.Value as string,
                string text => text,
                _ => null,
            };
            if (expression is not null)
            {
                return Parse(expression);
            }
        }

        return Earliest;
    }

    public static EventPositionFilter Parse(string expression)
    {
        var match = Expression().Match(expression);
        if (!match.Success)
        {
            throw new FormatException($"The filter expression '{expression}' is not supported.");
        }

        var name = match.Groups["name"].Value.ToLowerInvariant();
        var inclusive = match.Groups["op"].Value == ">=";
        var value = match.Groups["value"].Value.Trim();
        if (name == "x-opt-offset")
        {
            if (value == "@latest")
            {
                return new EventPositionFilter(StartKind.Latest, -1, false);
            }

            var offset = ParseLong(value, expression);
            return offset < 0 ? Earliest : new EventPositionFilter(StartKind.Offset, offset, inclusive);
        }

        var number = ParseLong(value, expression);
        return name == "x-opt-sequence-number"
            ? new EventPositionFilter(StartKind.SequenceNumber, number, inclusive)
            : new EventPositionFilter(StartKind.EnqueuedTime, number, false);
    }

    /// <summary>The log position to start reading at.</summary>
    public long Resolve(PartitionLog log) => Kind switch
    {
        StartKind.Earliest => log.Locate(LocateBy.Offset, -1, inclusive: false),
        StartKind.Latest => log.CommittedEnd,
        StartKind.Offset => log.Locate(LocateBy.Offset, Value, Inclusive),
        StartKind.SequenceNumber => log.Locate(LocateBy.SequenceNumber, Value, Inclusive),
        _ => log.Locate(LocateBy.EnqueuedTime, Value, inclusive: false),
    };

    private static long ParseLong(string value, string expression) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException($"The value in filter expression '{expression}' is not a number.");

    [GeneratedRegex(@"^\s*amqp\.annotation\.(?<name>x-opt-offset|x-opt-sequence-number|x-opt-enqueued-time|x-opt-enqueuedtimeutc)\s*(?<op>>=|>)\s*'?(?<value>[^']*)'?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Expression();
}
