using SafetySurveillance.Domain.Validation;

namespace SafetySurveillance.Domain.Ingestion;

/// <summary>
/// A rejected event, kept with its reasons. The raw payload is kept only encrypted (see <see cref="PayloadProtector"/>);
/// what reviewers read is a redacted preview, because a rejected payload may still hold an NHS number.
/// </summary>
/// <param name="Trust">The trust it came from (the sending publisher, else a valid <c>source</c>), or null when unknown.</param>
/// <param name="Partition">The Event Hubs partition it arrived on (or <c>gateway</c>-side rejections use -1).</param>
/// <param name="SequenceNumber">Its sequence number in that partition: with the partition, the idempotent key.</param>
/// <param name="ReceivedAt">When the service accepted it (enqueued time).</param>
/// <param name="EventId">The CloudEvent id, when one could be read.</param>
/// <param name="Type">The CloudEvent type, when one could be read.</param>
/// <param name="Problems">Every reason, each with a JSON path.</param>
/// <param name="Payload">The raw bytes as received.</param>
public sealed record DeadLetter(
    string? Trust,
    int Partition,
    long SequenceNumber,
    DateTimeOffset ReceivedAt,
    string? EventId,
    string? Type,
    IReadOnlyList<ValidationProblem> Problems,
    ReadOnlyMemory<byte> Payload)
{
    /// <summary>One line: the first problems, for lists and alerts.</summary>
    public string Summary(int maxProblems = 3) =>
        string.Join("; ", Problems.Take(maxProblems)) + (Problems.Count > maxProblems ? $"; and {Problems.Count - maxProblems} more" : "");
}
