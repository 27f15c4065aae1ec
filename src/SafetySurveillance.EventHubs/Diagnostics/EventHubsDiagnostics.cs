using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SafetySurveillance.EventHubs.Diagnostics;

/// <summary>
/// The client's traces and metrics: one <see cref="ActivitySource"/> and one <see cref="Meter"/> named
/// <c>SafetySurveillance.EventHubs</c> (subscribe with OpenTelemetry's <c>AddSource</c>/<c>AddMeter</c>).
/// Tags follow the OpenTelemetry messaging conventions.
/// </summary>
public static class EventHubsDiagnostics
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string Name = "SafetySurveillance.EventHubs";

    internal static readonly ActivitySource ActivitySource = new(Name);

    internal static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> EventsSent = Meter.CreateCounter<long>("eventhubs.client.sent.events", "{event}", "Events the broker accepted from this process.");

    internal static readonly Counter<long> EventsReceived = Meter.CreateCounter<long>("eventhubs.client.received.events", "{event}", "Events handed to readers in this process.");

    internal static readonly Counter<long> LinkRecoveries = Meter.CreateCounter<long>("eventhubs.client.link.recoveries", "{link}", "Receiver links re-opened after a failure.");

    internal static readonly Counter<long> Checkpoints = Meter.CreateCounter<long>("eventhubs.client.processor.checkpoints", "{checkpoint}", "Checkpoints written by processors.");

    internal static Activity? StartSend(string eventHubName, string entityPath, int eventCount)
    {
        var activity = ActivitySource.StartActivity("send " + eventHubName, ActivityKind.Producer);
        activity?.SetTag("messaging.system", "eventhubs");
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.destination.name", entityPath);
        activity?.SetTag("messaging.batch.message_count", eventCount);
        return activity;
    }

    internal static KeyValuePair<string, object?> Hub(string eventHubName) => new("messaging.destination.name", eventHubName);
}
