using System.Globalization;
using System.Text.Json;
using Azure;
using Microsoft.AspNetCore.Http;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Invocation;
using SafetySurveillance.Domain.Events.CloudEvents;
using SafetySurveillance.Domain.Ingestion;
using SafetySurveillance.Storage.Signals;

namespace SafetySurveillance.Functions.IngestSafetyEvents;

/// <summary>
/// <c>IngestSafetyEvents</c>: Event Hubs trigger, cardinality many, <c>dataType: binary</c> (exact bytes, so invalid
/// UTF-8 is rejected and dead letters keep the payload as sent). Bad events never fail the invocation: they are kept
/// in DeadLetters. A storage failure answers 500, so the host's retry policy re-invokes the same batch — safe, because
/// the signal rows' watermarks make a replay change nothing already applied.
/// </summary>
public static class IngestSafetyEventsFunction
{
    /// <summary>The function name (its folder).</summary>
    public const string Name = "IngestSafetyEvents";

    /// <summary>The trigger binding name in function.json.</summary>
    public const string BindingName = "events";

    /// <summary>The binding's dataType in function.json (a test keeps them in step).</summary>
    public const EventBodyEncoding BodyEncoding = EventBodyEncoding.Binary;

    /// <summary>Handles <c>POST /IngestSafetyEvents</c>.</summary>
    public static async Task<IResult> InvokeAsync(HttpContext context, SafetyEventIngestion ingestion)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(ingestion);
        // The body is parsed once into pooled buffers and the batch read straight from it (a batch of 1000 events is
        // about a megabyte of JSON; copying it into an InvocationRequest first cost as much again, on the large-object heap).
        EventHubsTriggerBatch batch;
        using (var request = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false))
        {
            if (request.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Results.BadRequest("The invocation body is not a JSON object.");
            }

            batch = EventHubsTriggerBatch.Read(request.RootElement, BodyEncoding, BindingName);
        }

        if (!int.TryParse(batch.PartitionContext.PartitionId, NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
        {
            return Results.BadRequest($"Partition id '{batch.PartitionContext.PartitionId}' is not numeric.");
        }

        var events = ToIncomingEvents(batch, partition);
        try
        {
            var summary = await ingestion.IngestAsync(batch.PartitionContext.PartitionId, events, context.RequestAborted).ConfigureAwait(false);
            var response = new InvocationResponse
            {
                Logs =
                {
                    string.Create(CultureInfo.InvariantCulture,
                        $"partition {partition}: {summary.Events} events, {summary.Accepted} accepted, {summary.Rejected} rejected, {summary.Duplicates} duplicates; {summary.RowsWritten} signal rows written, {summary.RowsAlreadyApplied} already applied ({summary.SignalWriteRequests} write requests, {summary.SignalReads} reads, {summary.SignalConflicts} conflicts)"),
                },
                ReturnValue = JsonSerializer.SerializeToElement(summary),
            };
            return Results.Json(response, CustomHandlerJson.Options);
        }
        catch (Exception ex) when (ex is RequestFailedException or SignalWriteConflictException or Azure.Data.Tables.TableTransactionFailedException or TimeoutException or HttpRequestException)
        {
            // Transient: fail the invocation so the host retries the batch. No event content in the message.
            return Results.Json(new InvocationResponse { Logs = { $"partition {partition}: storage failure, batch will be retried: {ex.GetType().Name}" } }, CustomHandlerJson.Options, statusCode: StatusCodes.Status500InternalServerError);
        }
    }

    /// <summary>The batch's events as ingestion takes them (content type, application properties, body, publisher).</summary>
    public static IReadOnlyList<IncomingEvent> ToIncomingEvents(EventHubsTriggerBatch batch, int partition)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var events = new IncomingEvent[batch.Events.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = ToIncoming(partition, batch.Events[i]);
        }

        return events;
    }

    private static IncomingEvent ToIncoming(int partition, EventHubsTriggerEvent e)
    {
        var contentType = e.SystemProperties.TryGetValue("content-type", out var ct) && ct.ValueKind == JsonValueKind.String ? ct.GetString() : null;
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in e.Properties)
        {
            properties[name] = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number when value.TryGetInt64(out var l) => l,
                JsonValueKind.Number => value.GetDouble(),
                JsonValueKind.Null => null,
                _ => value.GetRawText(),
            };
        }

        return new IncomingEvent(partition, e.SequenceNumber, e.EnqueuedTimeUtc, new AmqpCloudEventMessage(contentType, properties, e.Body), e.Publisher);
    }
}
