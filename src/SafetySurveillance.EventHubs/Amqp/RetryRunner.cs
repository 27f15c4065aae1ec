namespace SafetySurveillance.EventHubs.Amqp;

/// <summary>Runs an operation, retrying transient <see cref="EventHubsException"/>s with back-off on the given clock.</summary>
internal static class RetryRunner
{
    public static async Task<T> RunAsync<T>(
        Func<CancellationToken, Task<T>> operation,
        EventHubsRetryOptions retry,
        TimeProvider timeProvider,
        string? eventHubName,
        string operationName,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await operation(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var translated = AmqpErrors.Translate(exception, eventHubName, operationName);
                if (translated is not EventHubsException { IsTransient: true } || attempt > retry.MaximumRetries)
                {
                    if (ReferenceEquals(translated, exception))
                    {
                        throw;
                    }

                    throw translated;
                }

                await Task.Delay(retry.CalculateDelay(attempt), timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public static Task RunAsync(
        Func<CancellationToken, Task> operation,
        EventHubsRetryOptions retry,
        TimeProvider timeProvider,
        string? eventHubName,
        string operationName,
        CancellationToken cancellationToken)
        => RunAsync(
            async token =>
            {
                await operation(token).ConfigureAwait(false);
                return true;
            },
            retry,
            timeProvider,
            eventHubName,
            operationName,
            cancellationToken);
}
