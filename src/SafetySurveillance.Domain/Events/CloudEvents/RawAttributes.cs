namespace SafetySurveillance.Domain.Events.CloudEvents;

/// <summary>
/// Context attributes as found in the message, before their values are judged. A value of <c>null</c>
/// means "absent"; attributes whose JSON/AMQP type was already wrong are in <see cref="AlreadyReported"/>
/// so they are not also called missing.
/// </summary>
internal sealed class RawAttributes
{
    public string? SpecVersion { get; set; }

    public string? Id { get; set; }

    public string? Source { get; set; }

    public string? Type { get; set; }

    public string? DataContentType { get; set; }

    public string? DataSchema { get; set; }

    public string? Subject { get; set; }

    public string? Time { get; set; }

    /// <summary>An AMQP timestamp given natively instead of as an RFC 3339 string.</summary>
    public DateTimeOffset? NativeTime { get; set; }

    public Dictionary<string, string> Extensions { get; } = new(StringComparer.Ordinal);

    public HashSet<string> AlreadyReported { get; } = new(StringComparer.Ordinal);
}
