namespace SafetySurveillance.CustomHandler.Definitions;

/// <summary>
/// A <c>queueTrigger</c> binding: <c>{"type":"queueTrigger","name":…,"queueName":…,"connection":…}</c>.
/// The queue name may hold <c>%Setting%</c> expressions; the host resolves them and lower-cases the result.
/// </summary>
/// <param name="Name">The binding name (the key of the message in <c>Data</c>).</param>
/// <param name="QueueName">The queue name as written in function.json.</param>
/// <param name="Connection">The app setting holding the storage connection (default <c>AzureWebJobsStorage</c>).</param>
public sealed record QueueTriggerDefinition(string Name, string QueueName, string Connection)
{
    /// <summary>The binding type.</summary>
    public const string BindingType = "queueTrigger";

    /// <summary>The suffix of the queue a failing message is moved to.</summary>
    public const string PoisonSuffix = "-poison";

    /// <summary>Reads the binding; throws <see cref="FormatException"/> when it is not a queue trigger with a queue name.</summary>
    public static QueueTriggerDefinition From(BindingDefinition binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        if (!string.Equals(binding.Type, BindingType, StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"Binding '{binding.Name}' is a {binding.Type}, not a {BindingType}.");
        }

        var queueName = binding.Get("queueName");
        if (string.IsNullOrWhiteSpace(queueName))
        {
            throw new FormatException($"The {BindingType} binding '{binding.Name}' has no queueName.");
        }

        var connection = binding.Get("connection");
        return new QueueTriggerDefinition(binding.Name, queueName, string.IsNullOrWhiteSpace(connection) ? "AzureWebJobsStorage" : connection);
    }

    /// <summary>The queue name with settings resolved, lower-cased as the host does.</summary>
    public string ResolveQueueName(Func<string, string?> settings) =>
        FunctionAppDefinition.ResolveSettings(QueueName, settings).ToLowerInvariant();

    /// <summary>
    /// The poison queue for <paramref name="queueName"/>: <c>{name}-poison</c>, or null when the queue is a poison queue
    /// itself or the name would exceed the 63 characters a queue name may have (the host's rule).
    /// </summary>
    public static string? PoisonQueueName(string queueName)
    {
        ArgumentNullException.ThrowIfNull(queueName);
        return queueName.EndsWith(PoisonSuffix, StringComparison.Ordinal) || queueName.Length + PoisonSuffix.Length > 63
            ? null
            : queueName + PoisonSuffix;
    }
}
