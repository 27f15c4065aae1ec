using System.Globalization;
using System.Text.Json;
using SafetySurveillance.CustomHandler.Invocation;

namespace SafetySurveillance.CustomHandler.Bindings;

/// <summary>
/// A Storage queue trigger invocation: the message text in <c>Data.{bindingName}</c> and the queue trigger's binding
/// data in <c>Metadata</c> (<c>DequeueCount</c>, <c>Id</c>, <c>PopReceipt</c>, <c>InsertionTime</c>,
/// <c>ExpirationTime</c>, <c>NextVisibleTime</c>; the names of the queues extension's binding data contract;
/// <c>QueueTrigger</c> is left out of <c>Metadata</c> because the host skips keys ending in "trigger").
/// </summary>
/// <remarks>
/// The host turns every string, number and array into JSON text before it puts it in the payload
/// (<c>JsonConvert.SerializeObject</c>), so the message text <c>hello</c> arrives as the JSON string
/// <c>"\"hello\""</c> and <c>DequeueCount</c> 2 as <c>"2"</c>; dates keep whole seconds (the host reparses
/// <c>DateTimeOffset.ToString()</c>). <see cref="Read"/> accepts that form and the plain one.
/// </remarks>
/// <param name="Text">The message text, after the queue's message encoding (base64 by default) was undone.</param>
/// <param name="Id">The message id.</param>
/// <param name="PopReceipt">The pop receipt of this delivery.</param>
/// <param name="DequeueCount">How many times the message has been received, this delivery included.</param>
/// <param name="InsertionTime">When the message was added.</param>
/// <param name="ExpirationTime">When the message expires.</param>
/// <param name="NextVisibleTime">When the message becomes visible again if this delivery is not completed.</param>
public sealed record QueueTriggerMessage(
    string Text,
    string Id,
    string PopReceipt,
    long DequeueCount,
    DateTimeOffset InsertionTime,
    DateTimeOffset ExpirationTime,
    DateTimeOffset NextVisibleTime)
{
    /// <summary>Reads a queue trigger invocation; throws <see cref="FormatException"/> when it is not one (the request is the host's, not a user's).</summary>
    public static QueueTriggerMessage Read(InvocationRequest request, string bindingName)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Data.TryGetValue(bindingName, out var data) || data.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            throw new FormatException($"Data.{bindingName} (the queue message) is missing.");
        }

        return new QueueTriggerMessage(
            HostEncoding.ReadText(data),
            MetadataText(request, "Id") ?? "",
            MetadataText(request, "PopReceipt") ?? "",
            MetadataText(request, "DequeueCount") is { } count ? long.Parse(count, NumberStyles.Integer, CultureInfo.InvariantCulture) : 0,
            MetadataTime(request, "InsertionTime"),
            MetadataTime(request, "ExpirationTime"),
            MetadataTime(request, "NextVisibleTime"));
    }

    /// <summary>Writes this message the way the Functions host does, for DevHost and tests.</summary>
    public InvocationRequest ToInvocationRequest(string bindingName)
    {
        var request = new InvocationRequest();
        request.Data[bindingName] = HostEncoding.Encoded(Text);
        request.Metadata["DequeueCount"] = HostEncoding.Encoded(DequeueCount);
        request.Metadata["ExpirationTime"] = HostEncoding.Time(ExpirationTime);
        request.Metadata["Id"] = HostEncoding.Encoded(Id);
        request.Metadata["InsertionTime"] = HostEncoding.Time(InsertionTime);
        request.Metadata["NextVisibleTime"] = HostEncoding.Time(NextVisibleTime);
        request.Metadata["PopReceipt"] = HostEncoding.Encoded(PopReceipt);
        return request;
    }

    private static string? MetadataText(InvocationRequest request, string name) =>
        request.Metadata.TryGetValue(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? HostEncoding.ReadText(value)
            : null;

    private static DateTimeOffset MetadataTime(InvocationRequest request, string name) =>
        MetadataText(request, name) is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : DateTimeOffset.MinValue;
}
