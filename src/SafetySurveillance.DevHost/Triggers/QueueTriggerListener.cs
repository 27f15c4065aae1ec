using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Definitions;
using SafetySurveillance.CustomHandler.Invocation;
using SafetySurveillance.DevHost.FunctionApp;
using SafetySurveillance.DevHost.Status;

namespace SafetySurveillance.DevHost.Triggers;

/// <summary>
/// Drives one queue-triggered function as the Functions host's queues extension does
/// (<c>QueueListener</c> + <c>QueueProcessor</c>):
/// <list type="bullet">
/// <item>polls with <c>batchSize</c> messages per receive and fetches again once no more than <c>newBatchThreshold</c>
/// are in flight; an empty queue is polled with a randomized exponential back-off from 100 ms up to
/// <c>maxPollingInterval</c>;</item>
/// <item>receives with a 10-minute visibility timeout, renewed at half-time while the function runs;</item>
/// <item>invokes the function once per message (no function-level retry: the dequeue count is the retry);</item>
/// <item>deletes the message when the function succeeds; when it fails, makes it visible again after
/// <c>visibilityTimeout</c>, or, once its dequeue count reaches <c>maxDequeueCount</c>, moves it to
/// <c>{queue}-poison</c>; a message already over the count is moved without an invocation;</item>
/// <item>a message that is not valid base64 under <c>messageEncoding: base64</c> goes straight to the poison queue
/// as it is;</item>
/// <item>message text per host.json <c>messageEncoding</c> (base64 by default).</item>
/// </list>
/// Unlike the host, it creates the queue (and its poison queue) when missing, so a fresh Azurite works at once.
/// </summary>
public sealed partial class QueueTriggerListener : BackgroundService
{
    /// <summary>How long a received message stays invisible while its invocation runs (renewed at half-time), as in the host.</summary>
    public static readonly TimeSpan InvocationVisibilityTimeout = TimeSpan.FromMinutes(10);

    private readonly FunctionDefinition _function;
    private readonly QueueTriggerDefinition _trigger;
    private readonly QueueTriggerSettings _queues;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly FunctionInvoker _invoker;
    private readonly DevHostStatus _status;
    private readonly Func<Task> _appStarted;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the listener for <paramref name="function"/>, which must have a <c>queueTrigger</c>.</summary>
    public QueueTriggerListener(
        FunctionDefinition function,
        HostDefinition host,
        IReadOnlyDictionary<string, string> settings,
        FunctionInvoker invoker,
        DevHostStatus status,
        FunctionAppSupervisor app,
        TimeProvider time,
        ILogger<QueueTriggerListener> logger)
        : this(function, host, settings, invoker, status, () => app.Started, time, logger)
    {
    }

    /// <summary>Creates the listener with an explicit readiness signal (tests: a handler that is already running).</summary>
    internal QueueTriggerListener(
        FunctionDefinition function,
        HostDefinition host,
        IReadOnlyDictionary<string, string> settings,
        FunctionInvoker invoker,
        DevHostStatus status,
        Func<Task> appStarted,
        TimeProvider time,
        ILogger<QueueTriggerListener> logger)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(host);
        _function = function;
        _trigger = QueueTriggerDefinition.From(function.Trigger);
        _queues = host.Queues;
        if (_queues.BatchSize is < 1 or > 32)
        {
            throw new InvalidOperationException($"host.json extensions.queues.batchSize must be between 1 and 32 (it is {_queues.BatchSize}).");
        }

        if (_queues.MaxDequeueCount < 1)
        {
            throw new InvalidOperationException($"host.json extensions.queues.maxDequeueCount must be at least 1 (it is {_queues.MaxDequeueCount}).");
        }

        _settings = settings;
        _invoker = invoker;
        _status = status;
        _appStarted = appStarted;
        _time = time;
        _logger = logger;
    }

    /// <summary>The messages fetched again once no more than this many are in flight (host default: half the batch size).</summary>
    public int NewBatchThreshold => _queues.NewBatchThreshold ?? _queues.BatchSize / 2;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Like the host, deliver nothing before the handler answers.
        await _appStarted().WaitAsync(stoppingToken).ConfigureAwait(false);
        string? Setting(string name) => _settings.TryGetValue(name, out var v) ? v : Environment.GetEnvironmentVariable(name);
        string queueName;
        string connection;
        try
        {
            queueName = _trigger.ResolveQueueName(Setting);
            connection = Setting(_trigger.Connection) ?? Setting("AzureWebJobs" + _trigger.Connection)
                ?? throw new InvalidOperationException($"App setting '{_trigger.Connection}' (the queue trigger's connection) is not set.");
        }
        catch (InvalidOperationException ex)
        {
            // The host reports the function as in error and runs the others.
            LogBadBinding(_logger, ex, _function.Name);
            return;
        }

        var encoding = _queues.MessageEncoding == QueueMessageBodyEncoding.None ? QueueMessageEncoding.None : QueueMessageEncoding.Base64;
        var poisonName = QueueTriggerDefinition.PoisonQueueName(queueName);
        var poison = poisonName is null ? null : new QueueClient(connection, poisonName, new QueueClientOptions { MessageEncoding = encoding });

        // A message the configured encoding cannot decode goes to the poison queue as it is (the host's handler for
        // MessageDecodingFailed copies it with a client that does not encode).
        var rawPoison = poisonName is null ? null : new QueueClient(connection, poisonName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var options = new QueueClientOptions { MessageEncoding = encoding };
        options.MessageDecodingFailed += async args =>
        {
            if (args.ReceivedMessage is { } undecodable)
            {
                LogUndecodable(_logger, _function.Name, undecodable.MessageId, queueName);
                if (rawPoison is not null)
                {
                    await rawPoison.SendMessageAsync(undecodable.Body, cancellationToken: CancellationToken.None).ConfigureAwait(false);
                    await DeleteAsync(args.Queue, undecodable.MessageId, undecodable.PopReceipt).ConfigureAwait(false);
                    _status.QueueMessagePoisoned();
                }
            }
        };
        var queue = new QueueClient(connection, queueName, options);
        await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
        if (poison is not null)
        {
            await poison.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
        }

        LogListening(_logger, _function.Name, queueName, _queues.BatchSize, NewBatchThreshold, _queues.MaxPollingInterval, _queues.MaxDequeueCount, encoding.ToString());
        var backoff = new QueuePollingBackoff(_queues.MaxPollingInterval);
        var processing = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                QueueMessage[] batch;
                try
                {
                    batch = (await queue.ReceiveMessagesAsync(_queues.BatchSize, InvocationVisibilityTimeout, stoppingToken).ConfigureAwait(false)).Value;
                }
                catch (Exception ex) when (ex is RequestFailedException or AggregateException)
                {
                    // Queue deleted under us, storage restarting: back off and try again, as the host does.
                    LogPollFailed(_logger, ex, _function.Name, queueName);
                    if (ex is RequestFailedException { Status: 404 })
                    {
                        await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                    }

                    await Task.Delay(backoff.Next(foundMessages: false), _time, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                var messages = batch.Where(m => m is not null).ToList();
                if (messages.Count == 0)
                {
                    await Task.Delay(backoff.Next(foundMessages: false), _time, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                backoff.Next(foundMessages: true);
                foreach (var message in messages)
                {
                    processing.Add(ProcessAsync(queue, poison, message, stoppingToken));
                }

                // Fetch the next batch once no more than newBatchThreshold messages are in flight.
                processing.RemoveAll(t => t.IsCompleted);
                while (processing.Count > NewBatchThreshold)
                {
                    processing.Remove(await Task.WhenAny(processing).ConfigureAwait(false));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            // In-flight invocations are cancelled with the stopping token; their messages are released before we return.
            await Task.WhenAll(processing).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(QueueClient queue, QueueClient? poison, QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            if (message.DequeueCount > _queues.MaxDequeueCount)
            {
                // Received more often than allowed without completing (for example the host died mid-invocation).
                await MoveToPoisonAsync(queue, poison, message.MessageId, message.PopReceipt, message.Body, message.DequeueCount).ConfigureAwait(false);
                return;
            }

            var lease = new MessageLease(message.PopReceipt);
            using var renewal = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var renewing = RenewVisibilityAsync(queue, message.MessageId, lease, renewal.Token);
            bool succeeded;
            try
            {
                var request = new QueueTriggerMessage(
                    message.Body.ToString(),
                    message.MessageId,
                    message.PopReceipt,
                    message.DequeueCount,
                    message.InsertedOn ?? _time.GetUtcNow(),
                    message.ExpiresOn ?? DateTimeOffset.MaxValue,
                    message.NextVisibleOn ?? DateTimeOffset.MaxValue).ToInvocationRequest(_trigger.Name);
                new SystemBindingData(_function.Name, _time.GetUtcNow().UtcDateTime, Guid.NewGuid()).AddTo(request);
                await _invoker.InvokeAsync(_function.Name, request, stoppingToken).ConfigureAwait(false);
                succeeded = true;
            }
            catch (FunctionInvocationException ex)
            {
                LogInvocationFailed(_logger, _function.Name, message.MessageId, message.DequeueCount, _queues.MaxDequeueCount, ex.Message);
                succeeded = false;
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The HTTP client's timeout (functionTimeout + 1 minute): a failed invocation.
                LogInvocationFailed(_logger, _function.Name, message.MessageId, message.DequeueCount, _queues.MaxDequeueCount, "timed out");
                succeeded = false;
            }
            finally
            {
                await renewal.CancelAsync().ConfigureAwait(false);
                await renewing.ConfigureAwait(false);
            }

            _status.QueueMessageHandled(succeeded);
            if (succeeded)
            {
                await DeleteAsync(queue, message.MessageId, lease.PopReceipt).ConfigureAwait(false);
            }
            else if (poison is null)
            {
                // No poison queue (the queue is one, or its name is too long): leave the message invisible until its
                // visibility timeout passes rather than loop on it fast — the host's behaviour.
            }
            else if (message.DequeueCount >= _queues.MaxDequeueCount)
            {
                await MoveToPoisonAsync(queue, poison, message.MessageId, lease.PopReceipt, message.Body, message.DequeueCount).ConfigureAwait(false);
            }
            else
            {
                await ReleaseAsync(queue, message.MessageId, lease.PopReceipt, _queues.VisibilityTimeout).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // DevHost is stopping mid-invocation: make the message visible again for the next run. (The host would count
            // the cancelled invocation as a failure; releasing keeps a shutdown from sending a message to the poison queue.)
            await ReleaseAsync(queue, message.MessageId, message.PopReceipt, TimeSpan.Zero).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            LogCompletionFailed(_logger, ex, _function.Name, message.MessageId);
        }
    }

    private async Task RenewVisibilityAsync(QueueClient queue, string messageId, MessageLease lease, CancellationToken cancellationToken)
    {
        var interval = InvocationVisibilityTimeout / 2;
        try
        {
            while (true)
            {
                await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
                var receipt = await queue.UpdateMessageAsync(messageId, lease.PopReceipt, visibilityTimeout: InvocationVisibilityTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
                lease.PopReceipt = receipt.Value.PopReceipt;
            }
        }
        catch (OperationCanceledException)
        {
            // The invocation finished.
        }
        catch (RequestFailedException ex)
        {
            LogCompletionFailed(_logger, ex, _function.Name, messageId);
        }
    }

    private async Task MoveToPoisonAsync(QueueClient queue, QueueClient? poison, string messageId, string popReceipt, BinaryData body, long dequeueCount)
    {
        if (poison is null)
        {
            return;
        }

        LogPoisoned(_logger, _function.Name, messageId, dequeueCount, _queues.MaxDequeueCount, poison.Name);
        await poison.SendMessageAsync(body, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        await DeleteAsync(queue, messageId, popReceipt).ConfigureAwait(false);
        _status.QueueMessagePoisoned();
    }

    private static async Task DeleteAsync(QueueClient queue, string messageId, string popReceipt)
    {
        try
        {
            await queue.DeleteMessageAsync(messageId, popReceipt, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 400 or 404 or 409)
        {
            // Another receiver took the message over (pop receipt mismatch), or it is gone: nothing to delete.
        }
    }

    private static async Task ReleaseAsync(QueueClient queue, string messageId, string popReceipt, TimeSpan visibilityTimeout)
    {
        try
        {
            await queue.UpdateMessageAsync(messageId, popReceipt, visibilityTimeout: visibilityTimeout, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 400 or 404 or 409)
        {
            // Taken over or gone: nothing to release.
        }
    }

    private sealed class MessageLease(string popReceipt)
    {
        private string _popReceipt = popReceipt;

        public string PopReceipt
        {
            get => Volatile.Read(ref _popReceipt);
            set => Volatile.Write(ref _popReceipt, value);
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "{Function} listening to queue {Queue} (batch {BatchSize}, new batch at {NewBatchThreshold}, max polling interval {MaxPollingInterval}, max dequeue count {MaxDequeueCount}, encoding {Encoding})")]
    private static partial void LogListening(ILogger logger, string function, string queue, int batchSize, int newBatchThreshold, TimeSpan maxPollingInterval, int maxDequeueCount, string encoding);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "{Function}: polling queue {Queue} failed; backing off")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string function, string queue);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "{Function}: message {MessageId} failed (dequeue count {DequeueCount} of {MaxDequeueCount}): {Reason}")]
    private static partial void LogInvocationFailed(ILogger logger, string function, string messageId, long dequeueCount, int maxDequeueCount, string reason);

    [LoggerMessage(EventId = 43, Level = LogLevel.Warning, Message = "{Function}: message {MessageId} reached dequeue count {DequeueCount} (max {MaxDequeueCount}); moved to queue {PoisonQueue}")]
    private static partial void LogPoisoned(ILogger logger, string function, string messageId, long dequeueCount, int maxDequeueCount, string poisonQueue);

    [LoggerMessage(EventId = 44, Level = LogLevel.Warning, Message = "{Function}: message {MessageId} in queue {Queue} is not valid for the queue's message encoding; moved to the poison queue as it is")]
    private static partial void LogUndecodable(ILogger logger, string function, string messageId, string queue);

    [LoggerMessage(EventId = 45, Level = LogLevel.Warning, Message = "{Function}: completing message {MessageId} failed")]
    private static partial void LogCompletionFailed(ILogger logger, Exception exception, string function, string messageId);

    [LoggerMessage(EventId = 46, Level = LogLevel.Error, Message = "{Function}: the queue trigger binding cannot be resolved; the function will not run")]
    private static partial void LogBadBinding(ILogger logger, Exception exception, string function);
}
