namespace SafetySurveillance.EventHubs;

/// <summary>An Event Hubs operation failed; <see cref="Reason"/> says why and <see cref="IsTransient"/> whether a retry may help.</summary>
public sealed class EventHubsException : Exception
{
    /// <summary>Creates an exception.</summary>
    public EventHubsException(bool isTransient, string? eventHubName, string message, FailureReason reason = FailureReason.GeneralError, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTransient = isTransient;
        EventHubName = eventHubName;
        Reason = reason;
    }

    /// <summary>Creates a general, non-transient exception.</summary>
    public EventHubsException()
        : this(false, null, "An Event Hubs operation failed.")
    {
    }

    /// <summary>Creates a general, non-transient exception.</summary>
    public EventHubsException(string message)
        : this(false, null, message)
    {
    }

    /// <summary>Creates a general, non-transient exception.</summary>
    public EventHubsException(string message, Exception innerException)
        : this(false, null, message, FailureReason.GeneralError, innerException)
    {
    }

    /// <summary>Whether retrying the operation may succeed.</summary>
    public bool IsTransient { get; }

    /// <summary>The Event Hub involved, when known.</summary>
    public string? EventHubName { get; }

    /// <summary>Why the operation failed.</summary>
    public FailureReason Reason { get; }

    /// <summary>The reasons an operation fails, named as in the official SDK.</summary>
    public enum FailureReason
    {
        /// <summary>No more specific reason is known.</summary>
        GeneralError,

        /// <summary>The client was closed.</summary>
        ClientClosed,

        /// <summary>A receiver with a higher (or equal) owner level took the partition.</summary>
        ConsumerDisconnected,

        /// <summary>The hub, consumer group or partition does not exist.</summary>
        ResourceNotFound,

        /// <summary>The event or batch is larger than the link allows.</summary>
        MessageSizeExceeded,

        /// <summary>A quota was exceeded, e.g. more than five receivers on a partition.</summary>
        QuotaExceeded,

        /// <summary>The service is busy.</summary>
        ServiceBusy,

        /// <summary>The operation timed out.</summary>
        ServiceTimeout,

        /// <summary>The connection or link failed.</summary>
        ServiceCommunicationProblem,

        /// <summary>The credentials were refused or do not grant the operation.</summary>
        Unauthorized,

        /// <summary>An argument was refused by the service, e.g. a partition id out of range.</summary>
        InvalidArgument,
    }
}
