using System.Net.Sockets;
using Amqp;
using Amqp.Framing;

namespace SafetySurveillance.EventHubs.Amqp;

/// <summary>Maps AMQP error conditions, management status codes and transport failures to <see cref="EventHubsException"/>.</summary>
internal static class AmqpErrors
{
    public const string LinkStolen = "amqp:link:stolen";
    public const string NotFound = "amqp:not-found";
    public const string Unauthorized = "amqp:unauthorized-access";
    public const string MessageSizeExceeded = "amqp:link:message-size-exceeded";
    public const string ResourceLimitExceeded = "amqp:resource-limit-exceeded";

    public static EventHubsException FromError(Error? error, string? eventHubName, string operation)
    {
        if (error is null)
        {
            return new EventHubsException(true, eventHubName, $"{operation}: the link or connection closed without an error.", EventHubsException.FailureReason.ServiceCommunicationProblem);
        }

        var condition = error.Condition.ToString() ?? string.Empty;
        var message = $"{operation}: {condition}: {error.Description}";
        var (reason, transient) = Classify(condition);
        return new EventHubsException(transient, eventHubName, message, reason);
    }

    public static EventHubsException FromStatus(int statusCode, string? condition, string? description, string? eventHubName, string operation)
    {
        var (reason, transient) = condition is { Length: > 0 } ? Classify(condition) : statusCode switch
        {
            404 => (EventHubsException.FailureReason.ResourceNotFound, false),
            401 => (EventHubsException.FailureReason.Unauthorized, false),
            403 => (EventHubsException.FailureReason.QuotaExceeded, false),
            400 => (EventHubsException.FailureReason.InvalidArgument, false),
            408 => (EventHubsException.FailureReason.ServiceTimeout, true),
            410 => (EventHubsException.FailureReason.ConsumerDisconnected, false),
            503 => (EventHubsException.FailureReason.ServiceBusy, true),
            _ => (EventHubsException.FailureReason.GeneralError, statusCode >= 500),
        };
        return new EventHubsException(transient, eventHubName, $"{operation}: status {statusCode} {condition} {description}".TrimEnd(), reason);
    }

    /// <summary>Turns any failure of an AMQP operation into an <see cref="EventHubsException"/>; cancellation passes through.</summary>
    public static Exception Translate(Exception exception, string? eventHubName, string operation) => exception switch
    {
        EventHubsException => exception,
        OperationCanceledException => exception,
        AmqpException amqp => Wrap(FromError(amqp.Error, eventHubName, operation), amqp),
        TimeoutException => new EventHubsException(true, eventHubName, $"{operation}: timed out.", EventHubsException.FailureReason.ServiceTimeout, exception),
        SocketException or IOException or ObjectDisposedException or InvalidOperationException
            => new EventHubsException(true, eventHubName, $"{operation}: {exception.Message}", EventHubsException.FailureReason.ServiceCommunicationProblem, exception),
        _ => new EventHubsException(false, eventHubName, $"{operation}: {exception.Message}", EventHubsException.FailureReason.GeneralError, exception),
    };

    private static EventHubsException Wrap(EventHubsException mapped, Exception inner)
        => new(mapped.IsTransient, mapped.EventHubName, mapped.Message, mapped.Reason, inner);

    private static (EventHubsException.FailureReason Reason, bool Transient) Classify(string condition) => condition switch
    {
        NotFound => (EventHubsException.FailureReason.ResourceNotFound, false),
        Unauthorized or "com.microsoft:auth-failed" => (EventHubsException.FailureReason.Unauthorized, false),
        LinkStolen => (EventHubsException.FailureReason.ConsumerDisconnected, false),
        MessageSizeExceeded => (EventHubsException.FailureReason.MessageSizeExceeded, false),
        ResourceLimitExceeded => (EventHubsException.FailureReason.QuotaExceeded, false),
        "com.microsoft:server-busy" => (EventHubsException.FailureReason.ServiceBusy, true),
        "com.microsoft:timeout" => (EventHubsException.FailureReason.ServiceTimeout, true),
        "com.microsoft:argument-out-of-range" or "com.microsoft:argument-error" => (EventHubsException.FailureReason.InvalidArgument, false),
        "amqp:not-allowed" or "amqp:not-implemented" or "amqp:precondition-failed" or "com.microsoft:entity-disabled"
            or "com.microsoft:publisher-revoked" or "amqp:decode-error" or "amqp:invalid-field" => (EventHubsException.FailureReason.GeneralError, false),
        _ => (EventHubsException.FailureReason.ServiceCommunicationProblem, true),
    };
}
