using System.Globalization;

namespace SafetySurveillance.EventHubs;

/// <summary>
/// The parts of an Event Hubs connection string:
/// <c>Endpoint=sb://host[:port]/;SharedAccessKeyName=..;SharedAccessKey=..[;EntityPath=hub][;UseDevelopmentEmulator=true]</c>,
/// or <c>SharedAccessSignature=SharedAccessSignature sr=..</c> in place of the key pair.
/// Keys are matched case-insensitively, as the official .NET SDK does.
/// </summary>
public sealed class EventHubsConnectionStringProperties
{
    /// <summary>The default AMQP port over TLS.</summary>
    public const int AmqpsPort = 5671;

    /// <summary>The default plain AMQP port, used by the development emulator.</summary>
    public const int AmqpPort = 5672;

    private EventHubsConnectionStringProperties(
        Uri endpoint,
        string? eventHubName,
        string? sharedAccessKeyName,
        string? sharedAccessKey,
        string? sharedAccessSignature,
        bool useDevelopmentEmulator)
    {
        Endpoint = endpoint;
        EventHubName = eventHubName;
        SharedAccessKeyName = sharedAccessKeyName;
        SharedAccessKey = sharedAccessKey;
        SharedAccessSignature = sharedAccessSignature;
        UseDevelopmentEmulator = useDevelopmentEmulator;
    }

    /// <summary>The endpoint, normalised to the <c>sb</c> scheme with a trailing slash.</summary>
    public Uri Endpoint { get; }

    /// <summary>The host name of the namespace, e.g. <c>contoso.servicebus.windows.net</c> or <c>localhost</c>.</summary>
    public string FullyQualifiedNamespace => Endpoint.Host;

    /// <summary>The port given in the endpoint, else 5672 for the development emulator and 5671 otherwise.</summary>
    public int Port => Endpoint.IsDefaultPort || Endpoint.Port <= 0
        ? (UseDevelopmentEmulator ? AmqpPort : AmqpsPort)
        : Endpoint.Port;

    /// <summary>The <c>EntityPath</c> value, if present.</summary>
    public string? EventHubName { get; }

    /// <summary>The name of the shared access policy, if present.</summary>
    public string? SharedAccessKeyName { get; }

    /// <summary>The shared access key, if present. It is used as UTF-8 text, never base64-decoded.</summary>
    public string? SharedAccessKey { get; }

    /// <summary>A pre-computed shared access signature, if present.</summary>
    public string? SharedAccessSignature { get; }

    /// <summary>Whether the endpoint is the development emulator: plain AMQP (no TLS), default port 5672.</summary>
    public bool UseDevelopmentEmulator { get; }

    /// <summary>Parses a connection string.</summary>
    /// <exception cref="FormatException">The string is malformed or its parts contradict each other.</exception>
    public static EventHubsConnectionStringProperties Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        Uri? endpoint = null;
        string? entityPath = null, keyName = null, key = null, signature = null;
        var emulator = false;

        foreach (var rawPart in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var part = rawPart.Trim();
            if (part.Length == 0)
            {
                continue;
            }

            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"The connection string part '{RedactedName(part)}' is not of the form key=value.");
            }

            var name = part[..equals].Trim();
            var value = part[(equals + 1)..].Trim();
            switch (name.ToUpperInvariant())
            {
                case "ENDPOINT":
                    endpoint = ParseEndpoint(value);
                    break;
                case "ENTITYPATH":
                    entityPath = value.Length == 0 ? null : value;
                    break;
                case "SHAREDACCESSKEYNAME":
                    keyName = value;
                    break;
                case "SHAREDACCESSKEY":
                    key = value;
                    break;
                case "SHAREDACCESSSIGNATURE":
                    signature = value;
                    break;
                case "USEDEVELOPMENTEMULATOR":
                    if (!bool.TryParse(value, out emulator))
                    {
                        throw new FormatException($"UseDevelopmentEmulator must be 'true' or 'false', not '{value}'.");
                    }

                    break;
                default:
                    // Unknown keys are ignored, as the official SDKs do (e.g. TransportType).
                    break;
            }
        }

        if (endpoint is null)
        {
            throw new FormatException("The connection string has no Endpoint.");
        }

        var hasKeyPair = !string.IsNullOrEmpty(keyName) || !string.IsNullOrEmpty(key);
        if (hasKeyPair && !string.IsNullOrEmpty(signature))
        {
            throw new FormatException("A connection string may hold SharedAccessSignature or SharedAccessKeyName/SharedAccessKey, not both.");
        }

        if (hasKeyPair && (string.IsNullOrEmpty(keyName) || string.IsNullOrEmpty(key)))
        {
            throw new FormatException("SharedAccessKeyName and SharedAccessKey must be given together.");
        }

        if (!hasKeyPair && string.IsNullOrEmpty(signature))
        {
            throw new FormatException("The connection string has no credentials: give SharedAccessKeyName and SharedAccessKey, or SharedAccessSignature.");
        }

        return new EventHubsConnectionStringProperties(endpoint, entityPath, keyName, key, signature, emulator);
    }

    /// <summary>
    /// Resolves the hub name from the connection string and an explicit argument; they must agree when both are given.
    /// </summary>
    internal string ResolveEventHubName(string? explicitEventHubName)
    {
        if (!string.IsNullOrEmpty(explicitEventHubName) && !string.IsNullOrEmpty(EventHubName)
            && !string.Equals(explicitEventHubName, EventHubName, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"The Event Hub name '{explicitEventHubName}' differs from the connection string's EntityPath '{EventHubName}'.",
                nameof(explicitEventHubName));
        }

        var name = string.IsNullOrEmpty(EventHubName) ? explicitEventHubName : EventHubName;
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("No Event Hub name: pass one or put EntityPath in the connection string.", nameof(explicitEventHubName));
        }

        return name;
    }

    private static Uri ParseEndpoint(string value)
    {
        var text = value.Contains("://", StringComparison.Ordinal) ? value : "sb://" + value;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || string.IsNullOrEmpty(parsed.Host))
        {
            throw new FormatException($"The Endpoint '{value}' is not an absolute URI.");
        }

        var builder = new UriBuilder(parsed) { Scheme = "sb", Path = "/", Query = string.Empty, Fragment = string.Empty };
        if (parsed.IsDefaultPort)
        {
            builder.Port = -1;
        }

        return builder.Uri;
    }

    private static string RedactedName(string part)
    {
        var length = Math.Min(part.Length, 24);
        return part[..length].Contains("Key", StringComparison.OrdinalIgnoreCase)
            ? "<redacted>"
            : part[..length].ToString(CultureInfo.InvariantCulture);
    }
}
