using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using SafetySurveillance.Domain.Ingestion;

namespace SafetySurveillance.Storage.DeadLetters;

/// <summary>
/// Keeps rejected events: a <c>DeadLetters</c> table row per event (trust, reasons with JSON paths, a redacted
/// preview, size and SHA-256 of the payload) and the raw payload, encrypted, in the <c>dead-letters</c> blob
/// container. Keys come from the partition and sequence number, so a redelivered batch rewrites the same rows.
/// </summary>
public sealed class DeadLetterStore
{
    /// <summary>The table name.</summary>
    public const string TableName = "DeadLetters";

    /// <summary>The blob container for encrypted payloads.</summary>
    public const string ContainerName = "dead-letters";

    /// <summary>PartitionKey for rejections whose trust is unknown.</summary>
    public const string UnknownTrust = "unknown";

    private const int MaxStringChars = 30_000;
    private readonly TableClient _table;
    private readonly BlobContainerClient _payloads;
    private readonly PayloadProtector _protector;

    /// <summary>Creates the store.</summary>
    public DeadLetterStore(TableClient table, BlobContainerClient payloads, PayloadProtector protector)
    {
        _table = table ?? throw new ArgumentNullException(nameof(table));
        _payloads = payloads ?? throw new ArgumentNullException(nameof(payloads));
        _protector = protector ?? throw new ArgumentNullException(nameof(protector));
    }

    /// <summary>The row key of a dead letter: idempotent for Event Hubs deliveries.</summary>
    public static string RowKeyOf(DeadLetter deadLetter)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        return deadLetter.Partition >= 0
            ? string.Create(CultureInfo.InvariantCulture, $"eh-{deadLetter.Partition:D4}-{deadLetter.SequenceNumber:D20}")
            : string.Create(CultureInfo.InvariantCulture, $"gw-{deadLetter.ReceivedAt.UtcTicks:D20}-{deadLetter.SequenceNumber:D20}");
    }

    /// <summary>Stores the dead letters: payload blobs first (so a row never points at a missing blob), then rows in transactions per trust.</summary>
    public async Task AddAsync(IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deadLetters);
        if (deadLetters.Count == 0)
        {
            return;
        }

        await Parallel.ForEachAsync(
            deadLetters,
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (letter, ct) =>
            {
                var blob = _payloads.GetBlobClient(BlobNameOf(letter));
                await blob.UploadAsync(BinaryData.FromBytes(_protector.Protect(letter.Payload.Span)), overwrite: true, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);

        foreach (var trust in deadLetters.GroupBy(d => PartitionKeyOf(d)))
        {
            foreach (var chunk in trust.Chunk(100))
            {
                var actions = chunk
                    .DistinctBy(RowKeyOf)
                    .Select(d => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(d)))
                    .ToList();
                await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads the decrypted payload of a stored dead letter (for authorised replay and investigation).</summary>
    public async Task<byte[]> ReadPayloadAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        var blob = _payloads.GetBlobClient($"{partitionKey}/{rowKey}");
        var content = await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        return _protector.Unprotect(content.Value.Content.ToMemory().Span);
    }

    private static string PartitionKeyOf(DeadLetter letter) => letter.Trust ?? UnknownTrust;

    private static string BlobNameOf(DeadLetter letter) => $"{PartitionKeyOf(letter)}/{RowKeyOf(letter)}";

    private static TableEntity ToEntity(DeadLetter letter)
    {
        var problems = JsonSerializer.Serialize(letter.Problems.Select(p => new { path = p.Path, reason = p.Reason }));
        return new TableEntity(PartitionKeyOf(letter), RowKeyOf(letter))
        {
            ["ReceivedAt"] = letter.ReceivedAt,
            ["Partition"] = letter.Partition,
            ["SequenceNumber"] = letter.SequenceNumber,
            ["EventId"] = Cut(letter.EventId, 1024),
            ["EventType"] = Cut(letter.Type, 1024),
            ["Reason"] = Cut(letter.Summary(), 4000),
            ["ProblemCount"] = letter.Problems.Count,
            ["Problems"] = Cut(problems, MaxStringChars),
            ["PayloadPreview"] = PayloadRedaction.Preview(letter.Payload.Span),
            ["PayloadBytes"] = letter.Payload.Length,
            ["PayloadSha256"] = Convert.ToHexStringLower(SHA256.HashData(letter.Payload.Span)),
            ["PayloadBlob"] = $"{ContainerName}/{BlobNameOf(letter)}",
        };
    }

    private static string? Cut(string? text, int max) =>
        text is null ? null : PayloadRedaction.Preview(System.Text.Encoding.UTF8.GetBytes(text), max);
}
