using System.ComponentModel.DataAnnotations;

namespace SafetySurveillance.Functions.Configuration;

/// <summary>
/// The Event Hubs namespace (setting prefix <c>EventHubConnection</c>, the same connection the trigger and the
/// output binding use). Locally a connection string (the emulator: <c>...;UseDevelopmentEmulator=true</c>); in
/// Azure the namespace host name with a managed identity.
/// </summary>
[ServiceConnection]
public sealed class EventHubConnectionOptions : IValidatableObject
{
    /// <summary>The configuration prefix: <c>EventHubConnection</c> (value) and <c>EventHubConnection__*</c>.</summary>
    public const string SectionName = "EventHubConnection";

    /// <summary>An Event Hubs connection string; read from the value of the <c>EventHubConnection</c> setting.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Namespace host name, e.g. <c>ehns-x.servicebus.windows.net</c>.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary><c>managedidentity</c> when the namespace is used with a managed identity.</summary>
    public string? Credential { get; set; }

    /// <summary>Client id of the user-assigned managed identity.</summary>
    public string? ClientId { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && string.IsNullOrWhiteSpace(FullyQualifiedNamespace))
        {
            yield return new ValidationResult(
                "Set either 'EventHubConnection' to a connection string, or 'EventHubConnection__fullyQualifiedNamespace'.",
                [nameof(ConnectionString), nameof(FullyQualifiedNamespace)]);
        }
    }
}
