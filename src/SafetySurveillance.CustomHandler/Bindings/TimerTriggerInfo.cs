using System.Text.Json;
using System.Text.Json.Serialization;
using SafetySurveillance.CustomHandler.Invocation;

namespace SafetySurveillance.CustomHandler.Bindings;

/// <summary>
/// A timer trigger invocation: the host's <c>TimerInfo</c> in <c>Data.{bindingName}</c>, as a JSON object
/// <c>{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":…,"Next":…,"LastUpdated":…},"IsPastDue":false}</c>.
/// <c>Metadata</c> holds only <c>sys</c> (the timer's <c>TimerTrigger</c> binding data is skipped, as every key
/// ending in "trigger" is).
/// </summary>
/// <param name="Schedule">The schedule (the host exposes only its daylight-saving flag).</param>
/// <param name="ScheduleStatus">The last recorded status; null when schedule monitoring is off (<c>useMonitor: false</c>, or a schedule firing more than once a minute).</param>
/// <param name="IsPastDue">True when this invocation makes up for an occurrence missed while the host was not running.</param>
public sealed record TimerTriggerInfo(
    [property: JsonPropertyName("Schedule")] TimerTriggerSchedule Schedule,
    [property: JsonPropertyName("ScheduleStatus"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] TimerScheduleStatus? ScheduleStatus,
    [property: JsonPropertyName("IsPastDue")] bool IsPastDue)
{
    /// <summary>Reads a timer trigger invocation; throws <see cref="FormatException"/> when it is not one.</summary>
    public static TimerTriggerInfo Read(InvocationRequest request, string bindingName)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.TryGetData(bindingName, out var data) || data.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"Data.{bindingName} (the timer info) is not an object.");
        }

        return data.Deserialize(CustomHandlerJson.Options.GetTypeInfo<TimerTriggerInfo>())
            ?? throw new FormatException($"Data.{bindingName} (the timer info) is null.");
    }

    /// <summary>Writes this timer info the way the Functions host does, for DevHost and tests.</summary>
    public InvocationRequest ToInvocationRequest(string bindingName)
    {
        var request = new InvocationRequest();
        request.Data[bindingName] = JsonSerializer.SerializeToElement(this, CustomHandlerJson.Options.GetTypeInfo<TimerTriggerInfo>());
        return request;
    }
}

/// <summary>The <c>Schedule</c> member of the host's <c>TimerInfo</c>.</summary>
/// <param name="AdjustForDst">Whether occurrences are adjusted for daylight saving time (true for cron schedules).</param>
public sealed record TimerTriggerSchedule([property: JsonPropertyName("AdjustForDST")] bool AdjustForDst = true);

/// <summary>
/// A timer's schedule status, as the host keeps it in the <c>azure-webjobs-hosts</c> container
/// (<c>timers/{hostId}/{timerName}/status</c>) and passes it in <c>TimerInfo.ScheduleStatus</c>.
/// Times are in the host's time zone; an unset time is <c>0001-01-01T00:00:00</c>.
/// </summary>
/// <param name="Last">The last occurrence that ran.</param>
/// <param name="Next">The next occurrence expected.</param>
/// <param name="LastUpdated">When <paramref name="Next"/> was last computed.</param>
public sealed record TimerScheduleStatus(
    [property: JsonPropertyName("Last")] DateTimeOffset Last,
    [property: JsonPropertyName("Next")] DateTimeOffset Next,
    [property: JsonPropertyName("LastUpdated")] DateTimeOffset LastUpdated);
