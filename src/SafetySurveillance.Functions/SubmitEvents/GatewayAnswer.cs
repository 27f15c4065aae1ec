using System.Text;
using System.Text.Json;
using SafetySurveillance.Domain.Validation;

namespace SafetySurveillance.Functions.SubmitEvents;

/// <summary>The HTTP answer of one submission: status, JSON body, extra headers, and log lines for the host.</summary>
public sealed record GatewayAnswer(int StatusCode, string Body, IReadOnlyDictionary<string, string> Headers, IReadOnlyList<string> Logs)
{
    /// <summary>A request-level error: <c>{"error": code, "message": text, "problems": [...]}</c>.</summary>
    public static GatewayAnswer Error(int statusCode, string error, string message, IReadOnlyList<ValidationProblem>? problems = null, IReadOnlyDictionary<string, string>? headers = null, string? log = null)
    {
        var body = Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error", error);
            writer.WriteString("message", message);
            if (problems is { Count: > 0 })
            {
                WriteProblems(writer, problems);
            }

            writer.WriteEndObject();
        });
        return new GatewayAnswer(statusCode, body, headers ?? new Dictionary<string, string>(), [log ?? $"SubmitEvents: {statusCode} {error}"]);
    }

    /// <summary>The per-event answer: 202 when every event was accepted, 207 when some were, 400 when none.</summary>
    public static GatewayAnswer ForEvents(string odsCode, IReadOnlyList<EventVerdict> verdicts, string log)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        var accepted = verdicts.Count(v => v.Accepted);
        var status = accepted == verdicts.Count ? 202 : accepted > 0 ? 207 : 400;
        var body = Write(writer =>
        {
            writer.WriteStartObject();
            if (accepted == 0)
            {
                writer.WriteString("error", "events_rejected");
                writer.WriteString("message", "No event was accepted; each event's problems are listed.");
            }

            writer.WriteString("trust", odsCode);
            writer.WriteNumber("accepted", accepted);
            writer.WriteNumber("rejected", verdicts.Count - accepted);
            writer.WriteStartArray("events");
            foreach (var verdict in verdicts)
            {
                writer.WriteStartObject();
                writer.WriteNumber("index", verdict.Index);
                if (verdict.EventId is not null)
                {
                    writer.WriteString("id", verdict.EventId);
                }

                writer.WriteString("status", verdict.Accepted ? "accepted" : "rejected");
                if (!verdict.Accepted)
                {
                    WriteProblems(writer, verdict.Problems);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        return new GatewayAnswer(status, body, new Dictionary<string, string>(), [log]);
    }

    private static void WriteProblems(Utf8JsonWriter writer, IReadOnlyList<ValidationProblem> problems)
    {
        writer.WriteStartArray("problems");
        foreach (var problem in problems)
        {
            writer.WriteStartObject();
            writer.WriteString("path", problem.Path);
            writer.WriteString("reason", problem.Reason);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

/// <summary>The gateway's verdict on one event of a request.</summary>
/// <param name="Index">Its position in the request (0 for a single event).</param>
/// <param name="EventId">Its CloudEvents id, when it was readable.</param>
/// <param name="Accepted">Whether it was forwarded to the hub.</param>
/// <param name="Problems">Every problem when rejected; empty when accepted.</param>
public sealed record EventVerdict(int Index, string? EventId, bool Accepted, IReadOnlyList<ValidationProblem> Problems);
