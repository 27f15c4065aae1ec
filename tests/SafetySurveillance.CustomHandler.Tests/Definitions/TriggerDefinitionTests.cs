using SafetySurveillance.CustomHandler.Definitions;
using Xunit;

namespace SafetySurveillance.CustomHandler.Tests.Definitions;

public sealed class TriggerDefinitionTests
{
    [Fact]
    public void Queue_settings_default_to_the_queues_extension_defaults()
    {
        var host = HostDefinition.Parse("""{ "version": "2.0" }""");

        Assert.Equal(16, host.Queues.BatchSize);
        Assert.Null(host.Queues.NewBatchThreshold);
        Assert.Equal(TimeSpan.FromMinutes(1), host.Queues.MaxPollingInterval);
        Assert.Equal(TimeSpan.Zero, host.Queues.VisibilityTimeout);
        Assert.Equal(5, host.Queues.MaxDequeueCount);
        Assert.Equal(QueueMessageBodyEncoding.Base64, host.Queues.MessageEncoding);
    }

    [Fact]
    public void Queue_settings_are_read_from_host_json()
    {
        var host = HostDefinition.Parse("""
            { "version": "2.0", "extensions": { "queues": { "batchSize": 4, "newBatchThreshold": 1, "maxPollingInterval": "00:00:00.200", "messageEncoding": "none" } } }
            """);

        Assert.Equal(4, host.Queues.BatchSize);
        Assert.Equal(1, host.Queues.NewBatchThreshold);
        Assert.Equal(TimeSpan.FromMilliseconds(200), host.Queues.MaxPollingInterval);
        Assert.Equal(QueueMessageBodyEncoding.None, host.Queues.MessageEncoding);
    }

    [Fact]
    public void Queue_trigger_binding_resolves_settings_lower_cases_the_name_and_defaults_the_connection()
    {
        var function = FunctionDefinition.Parse("DispatchGovernanceAlerts", """
            { "bindings": [ { "type": "queueTrigger", "direction": "in", "name": "alert", "queueName": "%AlertsQueue%" } ] }
            """);

        var trigger = QueueTriggerDefinition.From(function.Trigger);

        Assert.Equal("alert", trigger.Name);
        Assert.Equal("AzureWebJobsStorage", trigger.Connection);
        Assert.Equal("governance-alerts", trigger.ResolveQueueName(name => name == "AlertsQueue" ? "Governance-Alerts" : null));
    }

    [Theory]
    [InlineData("governance-alerts", "governance-alerts-poison")]
    [InlineData("governance-alerts-poison", null)]
    [InlineData("a23456789012345678901234567890123456789012345678901234567", null)]
    [InlineData("a2345678901234567890123456789012345678901234567890123456", "a2345678901234567890123456789012345678901234567890123456-poison")]
    public void Poison_queue_is_named_with_the_suffix_unless_it_is_one_or_too_long(string queue, string? poison)
    {
        Assert.Equal(poison, QueueTriggerDefinition.PoisonQueueName(queue));
    }

    [Fact]
    public void Timer_trigger_binding_reads_schedule_and_flags_with_host_defaults()
    {
        var plain = TimerTriggerDefinition.From(FunctionDefinition.Parse("T", """
            { "bindings": [ { "type": "timerTrigger", "direction": "in", "name": "timer", "schedule": "%EvaluateAllSchedule%" } ] }
            """).Trigger);
        var flagged = TimerTriggerDefinition.From(FunctionDefinition.Parse("T", """
            { "bindings": [ { "type": "timerTrigger", "direction": "in", "name": "timer", "schedule": "0 */5 * * * *", "runOnStartup": true, "useMonitor": "false" } ] }
            """).Trigger);

        Assert.False(plain.RunOnStartup);
        Assert.True(plain.UseMonitor);
        Assert.Equal("0 0 * * * *", plain.ResolveSchedule(name => name == "EvaluateAllSchedule" ? " 0 0 * * * * " : null));
        Assert.True(flagged.RunOnStartup);
        Assert.False(flagged.UseMonitor);
    }

    [Fact]
    public void A_timer_trigger_without_a_schedule_is_refused()
    {
        var function = FunctionDefinition.Parse("T", """{ "bindings": [ { "type": "timerTrigger", "direction": "in", "name": "timer" } ] }""");

        Assert.Throws<FormatException>(() => TimerTriggerDefinition.From(function.Trigger));
    }
}
