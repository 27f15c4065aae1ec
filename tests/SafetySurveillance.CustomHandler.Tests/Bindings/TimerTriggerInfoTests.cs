using System.Text.Json;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Invocation;
using Xunit;

namespace SafetySurveillance.CustomHandler.Tests.Bindings;

public sealed class TimerTriggerInfoTests
{
    [Fact]
    public void Reads_the_host_TimerInfo_object()
    {
        var request = JsonSerializer.Deserialize<InvocationRequest>("""
            { "Data": { "timer": { "Schedule": { "AdjustForDST": true },
                                   "ScheduleStatus": { "Last": "2026-11-25T09:00:00.0000000+00:00", "Next": "2026-11-25T10:00:00+00:00", "LastUpdated": "2026-11-25T09:00:00+00:00" },
                                   "IsPastDue": true } },
              "Metadata": { "sys": { "MethodName": "EvaluateAllSignals", "UtcNow": "2026-11-25T10:20:00Z", "RandGuid": "00000000-0000-0000-0000-000000000001" } } }
            """, CustomHandlerJson.Options)!;

        var info = TimerTriggerInfo.Read(request, "timer");

        Assert.True(info.IsPastDue);
        Assert.True(info.Schedule.AdjustForDst);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero), info.ScheduleStatus!.Next);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero), info.ScheduleStatus.Last);
    }

    [Fact]
    public void A_timer_without_monitoring_is_written_with_a_null_status_and_reads_back()
    {
        var info = new TimerTriggerInfo(new TimerTriggerSchedule(), null, false);

        var wire = JsonSerializer.Serialize(new SystemBindingData("T", DateTime.UtcNow, Guid.NewGuid()).AddTo(info.ToInvocationRequest("timer")), CustomHandlerJson.Options);
        using var document = JsonDocument.Parse(wire);
        var data = document.RootElement.GetProperty("Data").GetProperty("timer");

        Assert.Equal(JsonValueKind.Object, data.ValueKind);
        Assert.Equal(JsonValueKind.Null, data.GetProperty("ScheduleStatus").ValueKind);
        Assert.True(data.GetProperty("Schedule").GetProperty("AdjustForDST").GetBoolean());
        Assert.False(data.GetProperty("IsPastDue").GetBoolean());
        Assert.Equal("T", document.RootElement.GetProperty("Metadata").GetProperty("sys").GetProperty("MethodName").GetString());
        Assert.Equal(info, TimerTriggerInfo.Read(JsonSerializer.Deserialize<InvocationRequest>(wire, CustomHandlerJson.Options)!, "timer"));
    }

    [Fact]
    public void A_request_without_an_object_under_the_binding_is_refused()
    {
        var request = JsonSerializer.Deserialize<InvocationRequest>("""{ "Data": { "timer": "now" }, "Metadata": {} }""", CustomHandlerJson.Options)!;

        Assert.Throws<FormatException>(() => TimerTriggerInfo.Read(request, "timer"));
    }
}
