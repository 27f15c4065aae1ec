using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Definitions;
using SafetySurveillance.DevHost.FunctionApp;
using SafetySurveillance.DevHost.Status;
using SafetySurveillance.DevHost.Triggers;
using SafetySurveillance.TestInfrastructure;
using SafetySurveillance.TestInfrastructure.Azurite;
using Xunit;

namespace SafetySurveillance.DevHost.Tests.Triggers;

public sealed class QueueTriggerListenerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly string _queueName = UniqueName.Container("q");
    private TestFunctionApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        // The sender creates the queue (as the function app does); the listener creates the poison queue.
        await Queue(QueueMessageEncoding.None).CreateIfNotExistsAsync(cancellationToken: TestContext.Current.CancellationToken);
        _app = await TestFunctionApp.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_message_is_invoked_once_with_the_host_payload_and_then_deleted()
    {
        var ct = TestContext.Current.CancellationToken;
        var sent = await Queue(QueueMessageEncoding.Base64).SendMessageAsync("""{"alertId":"a-1","note":"café"}""", ct);

        await using var listener = await StartAsync(HostJson(""));
        var invocations = await _app.WaitForAsync(i => i.Count >= 1, Generous, listener.Task);
        await WaitForQueueCountAsync(Queue(QueueMessageEncoding.Base64), 0);

        var invocation = Assert.Single(_app.Invocations);
        Assert.Equal("DispatchGovernanceAlerts", invocation.Function);
        using var body = JsonDocument.Parse(invocation.Body);
        var data = body.RootElement.GetProperty("Data").GetProperty("alert");
        Assert.Equal(JsonValueKind.String, data.ValueKind);
        Assert.Equal("""{"alertId":"a-1","note":"café"}""", JsonSerializer.Deserialize<string>(data.GetString()!));
        var metadata = body.RootElement.GetProperty("Metadata");
        Assert.Equal(
            ["DequeueCount", "ExpirationTime", "Id", "InsertionTime", "NextVisibleTime", "PopReceipt", "sys"],
            metadata.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("DispatchGovernanceAlerts", metadata.GetProperty("sys").GetProperty("MethodName").GetString());
        var message = QueueTriggerMessage.Read(invocation.Request, "alert");
        Assert.Equal("""{"alertId":"a-1","note":"café"}""", message.Text);
        Assert.Equal(sent.Value.MessageId, message.Id);
        Assert.Equal(1, message.DequeueCount);
        Assert.True(message.NextVisibleTime > message.InsertionTime);
        Assert.True(message.ExpirationTime > message.InsertionTime);
        Assert.Equal(1, listener.Status.QueueMessages);
    }

    [Fact]
    public async Task A_message_that_always_fails_is_redelivered_with_a_rising_dequeue_count_then_moved_to_the_poison_queue()
    {
        var ct = TestContext.Current.CancellationToken;
        _app.FailWhen = _ => true;
        await Queue(QueueMessageEncoding.Base64).SendMessageAsync("poison me", ct);

        // function.json has a retry policy: the queue trigger ignores it (the dequeue count is its retry), so one invocation per delivery.
        await using var listener = await StartAsync(HostJson("\"maxDequeueCount\": 3"));
        var poisoned = await WaitForPoisonAsync(QueueMessageEncoding.Base64);

        Assert.Equal("poison me", poisoned);
        Assert.Equal([1L, 2L, 3L], _app.Invocations.Select(i => QueueTriggerMessage.Read(i.Request, "alert").DequeueCount));
        Assert.Equal(0, await ApproximateCountAsync(Queue(QueueMessageEncoding.Base64)));
        Assert.Equal(3, listener.Status.QueueFailures);
        Assert.Equal(1, listener.Status.QueuePoisoned);
    }

    [Fact]
    public async Task A_message_that_fails_once_is_retried_and_deleted_and_nothing_is_poisoned()
    {
        var ct = TestContext.Current.CancellationToken;
        _app.FailWhen = i => QueueTriggerMessage.Read(i.Request, "alert").DequeueCount == 1;
        await Queue(QueueMessageEncoding.Base64).SendMessageAsync("flaky", ct);

        await using var listener = await StartAsync(HostJson(""));
        await _app.WaitForAsync(i => i.Count >= 2, Generous, listener.Task);
        await WaitForQueueCountAsync(Queue(QueueMessageEncoding.Base64), 0);

        Assert.Equal([true, false], _app.Invocations.Select(i => i.Failed));
        Assert.Equal(0, await ApproximateCountAsync(Queue(QueueMessageEncoding.Base64, poison: true)));
    }

    [Fact]
    public async Task A_failed_message_stays_invisible_for_the_visibility_timeout_before_it_is_retried()
    {
        var ct = TestContext.Current.CancellationToken;
        _app.FailWhen = i => QueueTriggerMessage.Read(i.Request, "alert").DequeueCount == 1;
        await Queue(QueueMessageEncoding.Base64).SendMessageAsync("later", ct);

        await using var listener = await StartAsync(HostJson("\"visibilityTimeout\": \"00:00:03\""));
        var invocations = await _app.WaitForAsync(i => i.Count >= 2, Generous, listener.Task);

        // A lower bound only: the retry cannot come before the message is visible again, however slow the machine.
        Assert.True(invocations[1].ReceivedAt - invocations[0].ReceivedAt >= TimeSpan.FromSeconds(2.5),
            $"retried after {invocations[1].ReceivedAt - invocations[0].ReceivedAt}");
    }

    [Fact]
    public async Task A_message_already_over_the_dequeue_count_goes_to_the_poison_queue_without_an_invocation()
    {
        var ct = TestContext.Current.CancellationToken;
        var queue = Queue(QueueMessageEncoding.Base64);
        await queue.SendMessageAsync("received too often", ct);
        for (var i = 0; i < 3; i++)
        {
            // A host that died mid-invocation: received, never completed, visible again.
            var received = await queue.ReceiveMessageAsync(TimeSpan.FromSeconds(30), ct);
            await queue.UpdateMessageAsync(received.Value.MessageId, received.Value.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: ct);
        }

        await using var listener = await StartAsync(HostJson("\"maxDequeueCount\": 2"));
        var poisoned = await WaitForPoisonAsync(QueueMessageEncoding.Base64);

        Assert.Equal("received too often", poisoned);
        Assert.Empty(_app.Invocations);
    }

    [Fact]
    public async Task With_base64_encoding_a_message_that_is_not_base64_goes_to_the_poison_queue_as_it_is()
    {
        var ct = TestContext.Current.CancellationToken;
        await Queue(QueueMessageEncoding.None).SendMessageAsync("plain text, not base64!", ct);

        await using var listener = await StartAsync(HostJson(""));
        var poisoned = await WaitForPoisonAsync(QueueMessageEncoding.None);

        Assert.Equal("plain text, not base64!", poisoned);
        Assert.Empty(_app.Invocations);
        Assert.Equal(0, await ApproximateCountAsync(Queue(QueueMessageEncoding.None)));
    }

    [Fact]
    public async Task Base64_message_text_is_decoded_before_the_function_sees_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var text = "ünïcode ✓ {\"k\":1}";
        await Queue(QueueMessageEncoding.None).SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)), ct);

        await using var listener = await StartAsync(HostJson(""));
        await _app.WaitForAsync(i => i.Count >= 1, Generous, listener.Task);

        Assert.Equal(text, QueueTriggerMessage.Read(_app.Invocations[0].Request, "alert").Text);
    }

    [Fact]
    public async Task With_messageEncoding_none_the_text_is_delivered_as_it_is()
    {
        var ct = TestContext.Current.CancellationToken;
        await Queue(QueueMessageEncoding.None).SendMessageAsync("not base64 & fine", ct);

        await using var listener = await StartAsync(HostJson("\"messageEncoding\": \"none\""));
        await _app.WaitForAsync(i => i.Count >= 1, Generous, listener.Task);
        await WaitForQueueCountAsync(Queue(QueueMessageEncoding.None), 0);

        Assert.Equal("not base64 & fine", QueueTriggerMessage.Read(_app.Invocations[0].Request, "alert").Text);
    }

    [Fact]
    public async Task Many_messages_are_each_invoked_once_in_parallel_batches()
    {
        var ct = TestContext.Current.CancellationToken;
        var queue = Queue(QueueMessageEncoding.Base64);
        var texts = Enumerable.Range(0, 40).Select(i => $"m{i}").ToList();
        foreach (var text in texts)
        {
            await queue.SendMessageAsync(text, ct);
        }

        await using var listener = await StartAsync(HostJson("\"batchSize\": 8, \"newBatchThreshold\": 2"));
        await _app.WaitForAsync(i => i.Count >= texts.Count, Generous, listener.Task);
        await WaitForQueueCountAsync(queue, 0);

        Assert.Equal(texts.Order(StringComparer.Ordinal), _app.Invocations.Select(i => QueueTriggerMessage.Read(i.Request, "alert").Text).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_queue_trigger_whose_connection_setting_is_missing_is_skipped_without_stopping_the_host()
    {
        var function = FunctionDefinition.Parse("Orphan", """
            { "bindings": [ { "type": "queueTrigger", "direction": "in", "name": "alert", "queueName": "orphan", "connection": "NoSuchSetting" } ] }
            """);
        var invoker = new FunctionInvoker(new HttpClient { BaseAddress = _app.BaseAddress }, TimeProvider.System, NullLogger<FunctionInvoker>.Instance);
        using var listener = new QueueTriggerListener(function, HostDefinition.Parse(HostJson("")), new Dictionary<string, string>(), invoker, new DevHostStatus(), () => Task.CompletedTask, TimeProvider.System, NullLogger<QueueTriggerListener>.Instance);

        await listener.StartAsync(TestContext.Current.CancellationToken);
        await listener.ExecuteTask!.WaitAsync(Generous, TestContext.Current.CancellationToken);

        Assert.True(listener.ExecuteTask.IsCompletedSuccessfully);
        await listener.StopAsync(TestContext.Current.CancellationToken);
    }

    private static string HostJson(string queueSettings) => $$"""{ "version": "2.0", "extensions": { "queues": { "maxPollingInterval": "00:00:00.200"{{(queueSettings.Length > 0 ? ", " + queueSettings : "")}} } } }""";

    private QueueClient Queue(QueueMessageEncoding encoding, bool poison = false) =>
        new(azurite.ConnectionString, poison ? _queueName + "-poison" : _queueName, new QueueClientOptions { MessageEncoding = encoding });

    private async Task<RunningListener> StartAsync(string hostJson)
    {
        var function = FunctionDefinition.Parse("DispatchGovernanceAlerts", $$"""
            { "bindings": [ { "type": "queueTrigger", "direction": "in", "name": "alert", "queueName": "%AlertsQueue%", "connection": "Storage" } ],
              "retry": { "strategy": "fixedDelay", "maxRetryCount": 3, "delayInterval": "00:00:01" } }
            """);
        var settings = new Dictionary<string, string> { ["Storage"] = azurite.ConnectionString, ["AlertsQueue"] = _queueName.ToUpperInvariant() };
        var status = new DevHostStatus();
        var invoker = new FunctionInvoker(new HttpClient { BaseAddress = _app.BaseAddress }, TimeProvider.System, NullLogger<FunctionInvoker>.Instance);
        var listener = new QueueTriggerListener(function, HostDefinition.Parse(hostJson), settings, invoker, status, () => Task.CompletedTask, TimeProvider.System, NullLogger<QueueTriggerListener>.Instance);
        await listener.StartAsync(TestContext.Current.CancellationToken);
        return new RunningListener(listener, status);
    }

    private async Task<string> WaitForPoisonAsync(QueueMessageEncoding encoding)
    {
        var poison = Queue(encoding, poison: true);
        using var deadline = new CancellationTokenSource(Generous);
        while (true)
        {
            if (await poison.ExistsAsync(TestContext.Current.CancellationToken)
                && (await poison.PeekMessagesAsync(1, TestContext.Current.CancellationToken)).Value is [var message])
            {
                return message.Body.ToString();
            }

            deadline.Token.ThrowIfCancellationRequested();
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static async Task WaitForQueueCountAsync(QueueClient queue, int count)
    {
        using var deadline = new CancellationTokenSource(Generous);
        while (await ApproximateCountAsync(queue) != count)
        {
            deadline.Token.ThrowIfCancellationRequested();
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static async Task<int> ApproximateCountAsync(QueueClient queue) =>
        await queue.ExistsAsync(TestContext.Current.CancellationToken)
            ? (await queue.GetPropertiesAsync(TestContext.Current.CancellationToken)).Value.ApproximateMessagesCount
            : 0;

    private sealed class RunningListener(BackgroundService listener, DevHostStatus status) : IAsyncDisposable
    {
        public DevHostStatus Status => status;

        public Task Task => listener.ExecuteTask ?? Task.CompletedTask;

        public async ValueTask DisposeAsync()
        {
            await listener.StopAsync(CancellationToken.None);
            listener.Dispose();
        }
    }
}
