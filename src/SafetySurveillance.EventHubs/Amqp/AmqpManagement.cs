using System.Globalization;

namespace SafetySurveillance.EventHubs.Amqp;

/// <summary>Reads hub and partition properties through <c>$management</c>, with retries.</summary>
internal static class AmqpManagement
{
    public static Task<EventHubProperties> GetEventHubPropertiesAsync(AmqpConnectionScope scope, EventHubsRetryOptions retry, CancellationToken cancellationToken)
        => RetryRunner.RunAsync(
            async token =>
            {
                var map = await scope.ReadManagementAsync("com.microsoft:eventhub", null, retry.TryTimeout, token).ConfigureAwait(false);
                var ids = map["partition_ids"] switch
                {
                    string[] array => array,
                    object[] objects => objects.Select(o => Convert.ToString(o, CultureInfo.InvariantCulture)!).ToArray(),
                    _ => [],
                };
                return new EventHubProperties(
                    map["name"]?.ToString() ?? scope.EventHubName,
                    ToTime(map["created_at"]),
                    ids);
            },
            retry,
            scope.TimeProvider,
            scope.EventHubName,
            "get event hub properties",
            cancellationToken);

    public static Task<PartitionProperties> GetPartitionPropertiesAsync(AmqpConnectionScope scope, string partitionId, EventHubsRetryOptions retry, CancellationToken cancellationToken)
        => RetryRunner.RunAsync(
            async token =>
            {
                var map = await scope.ReadManagementAsync("com.microsoft:partition", partitionId, retry.TryTimeout, token).ConfigureAwait(false);
                return new PartitionProperties(
                    map["name"]?.ToString() ?? scope.EventHubName,
                    map["partition"]?.ToString() ?? partitionId,
                    map["is_partition_empty"] is true,
                    ToLong(map["begin_sequence_number"]),
                    ToLong(map["last_enqueued_sequence_number"]),
                    Convert.ToString(map["last_enqueued_offset"], CultureInfo.InvariantCulture) ?? "-1",
                    ToTime(map["last_enqueued_time_utc"]));
            },
            retry,
            scope.TimeProvider,
            scope.EventHubName,
            $"get partition {partitionId} properties",
            cancellationToken);

    private static long ToLong(object? value) => value is null ? -1 : Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static DateTimeOffset ToTime(object? value) => value is DateTime time
        ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc))
        : default;

}
