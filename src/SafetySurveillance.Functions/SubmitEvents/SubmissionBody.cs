using System.Text.Json;

namespace SafetySurveillance.Functions.SubmitEvents;

/// <summary>
/// Splits a request body into the exact bytes of each event, without interpreting them: the events themselves are
/// judged by the same reader the ingest function uses, and what is forwarded is byte for byte what the trust sent.
/// </summary>
public static class SubmissionBody
{
    /// <summary>Splits <paramref name="body"/>: one segment for a single event; one per array element for a batch.</summary>
    public static SubmissionSplit Split(SubmissionMediaType mediaType, ReadOnlyMemory<byte> body)
    {
        if (mediaType == SubmissionMediaType.Single)
        {
            return SubmissionSplit.Events([body]);
        }

        var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
        var segments = new List<ReadOnlyMemory<byte>>();
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return SubmissionSplit.Failed(SubmissionProblem.NotAnArray, "a batch must be a JSON array of CloudEvents");
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (segments.Count == SubmissionLimits.MaxEvents)
                {
                    return SubmissionSplit.Failed(SubmissionProblem.TooManyEvents, $"a batch holds at most {SubmissionLimits.MaxEvents} events");
                }

                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var end = (int)reader.BytesConsumed;
                segments.Add(body[start..end]);
            }

            if (reader.Read())
            {
                return SubmissionSplit.Failed(SubmissionProblem.MalformedJson, "has content after the end of the array");
            }
        }
        catch (JsonException exception)
        {
            // The position only, never the text: a malformed body may still hold an NHS number.
            return SubmissionSplit.Failed(
                SubmissionProblem.MalformedJson,
                $"is not valid JSON (line {(exception.LineNumber ?? 0) + 1}, byte {(exception.BytePositionInLine ?? 0) + 1})");
        }

        return segments.Count == 0
            ? SubmissionSplit.Failed(SubmissionProblem.EmptyBatch, "the batch is empty; send at least one event")
            : SubmissionSplit.Events(segments);
    }
}

/// <summary>Why a whole body could not be split into events.</summary>
public enum SubmissionProblem
{
    /// <summary>No problem.</summary>
    None,

    /// <summary>The body is not JSON.</summary>
    MalformedJson,

    /// <summary>A batch body is JSON but not an array.</summary>
    NotAnArray,

    /// <summary>A batch with no events.</summary>
    EmptyBatch,

    /// <summary>More than <see cref="SubmissionLimits.MaxEvents"/> events.</summary>
    TooManyEvents,
}

/// <summary>The events of a body, or why there are none.</summary>
public sealed record SubmissionSplit(IReadOnlyList<ReadOnlyMemory<byte>> Segments, SubmissionProblem Problem, string? Reason)
{
    internal static SubmissionSplit Events(IReadOnlyList<ReadOnlyMemory<byte>> segments) => new(segments, SubmissionProblem.None, null);

    internal static SubmissionSplit Failed(SubmissionProblem problem, string reason) => new([], problem, reason);
}
