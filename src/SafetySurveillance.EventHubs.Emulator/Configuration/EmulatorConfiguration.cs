using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace SafetySurveillance.EventHubs.Emulator.Configuration;

/// <summary>
/// The official Event Hubs emulator's <c>Config.json</c> (schema:
/// Azure/azure-event-hubs-emulator-installer <c>EventHub-Emulator/Schema/Config-schema.json</c>), plus an optional
/// <c>Emulator</c> section that only this emulator reads (shared access policies).
/// </summary>
public sealed partial record EmulatorConfiguration
{
    /// <summary>The official emulator's quotas.</summary>
    public const int MaxEventHubs = 10;

    /// <summary>The most partitions one hub may have.</summary>
    public const int MaxPartitions = 32;

    /// <summary>The most consumer groups one hub may declare (the implicit <c>$Default</c> is not counted).</summary>
    public const int MaxConsumerGroups = 20;

    /// <summary>The name of the consumer group every hub has.</summary>
    public const string DefaultConsumerGroup = "$Default";

    /// <summary>The official default configuration: namespace <c>emulatorNs1</c>, hub <c>eh1</c> with 2 partitions and consumer group <c>cg1</c>.</summary>
    public const string DefaultJson = """
        {
          "UserConfig": {
            "NamespaceConfig": [
              {
                "Type": "EventHub",
                "Name": "emulatorNs1",
                "Entities": [
                  { "Name": "eh1", "PartitionCount": 2, "ConsumerGroups": [ { "Name": "cg1" } ] }
                ]
              }
            ],
            "LoggingConfig": { "Type": "File" }
          }
        }
        """;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The <c>UserConfig</c> section.</summary>
    public required UserConfig UserConfig { get; init; }

    /// <summary>Settings only this emulator understands; absent in official files.</summary>
    public EmulatorSection? Emulator { get; init; }

    /// <summary>The single namespace.</summary>
    [JsonIgnore]
    public NamespaceConfig Namespace => UserConfig.NamespaceConfig[0];

    /// <summary>The official default configuration.</summary>
    public static EmulatorConfiguration Default => Parse(DefaultJson);

    /// <summary>Builds a configuration for the given hubs, each with the implicit <c>$Default</c> consumer group plus <paramref name="consumerGroups"/>.</summary>
    public static EmulatorConfiguration ForHubs(IEnumerable<(string Name, int PartitionCount)> hubs, params string[] consumerGroups)
    {
        ArgumentNullException.ThrowIfNull(hubs);
        var configuration = new EmulatorConfiguration
        {
            UserConfig = new UserConfig
            {
                NamespaceConfig =
                [
                    new NamespaceConfig
                    {
                        Type = "EventHub",
                        Name = "emulatorNs1",
                        Entities = [.. hubs.Select(h => new EntityConfig
                        {
                            Name = h.Name,
                            PartitionCount = h.PartitionCount,
                            ConsumerGroups = [.. consumerGroups.Select(c => new ConsumerGroupConfig { Name = c })],
                        })],
                    },
                ],
                LoggingConfig = new LoggingConfig { Type = "Console" },
            },
        };
        configuration.Validate();
        return configuration;
    }

    /// <summary>Reads and validates a <c>Config.json</c>.</summary>
    /// <exception cref="EmulatorConfigurationException">The file breaks the schema or a quota.</exception>
    public static EmulatorConfiguration Parse(string json)
    {
        EmulatorConfiguration? configuration;
        try
        {
            configuration = JsonSerializer.Deserialize<EmulatorConfiguration>(json, JsonOptions);
        }
        catch (JsonException exception)
        {
            throw new EmulatorConfigurationException($"Config.json is not valid JSON: {exception.Message}", exception);
        }

        if (configuration is null)
        {
            throw new EmulatorConfigurationException("Config.json is empty.");
        }

        configuration.Validate();
        return configuration;
    }

    /// <summary>Reads and validates a <c>Config.json</c> file.</summary>
    public static async Task<EmulatorConfiguration> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(json);
    }

    /// <summary>Checks the schema's rules and the emulator quotas.</summary>
    /// <exception cref="EmulatorConfigurationException">A rule is broken; the message says which.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (UserConfig?.NamespaceConfig is not { Count: 1 })
        {
            throw new EmulatorConfigurationException("UserConfig.NamespaceConfig must hold exactly one namespace.");
        }

        if (UserConfig.LoggingConfig is null)
        {
            errors.Add("UserConfig.LoggingConfig is required.");
        }
        else if (UserConfig.LoggingConfig.Type is not ("File" or "Console" or "File,Console" or "Console,File"))
        {
            errors.Add($"LoggingConfig.Type '{UserConfig.LoggingConfig.Type}' must be File, Console, File,Console or Console,File.");
        }

        var ns = Namespace;
        if (ns.Type != "EventHub")
        {
            errors.Add($"NamespaceConfig.Type '{ns.Type}' must be EventHub.");
        }

        if (string.IsNullOrEmpty(ns.Name) || !NamePattern().IsMatch(ns.Name))
        {
            errors.Add($"Namespace name '{ns.Name}' is not a valid name.");
        }

        if (ns.Entities is not { Count: >= 1 and <= MaxEventHubs })
        {
            errors.Add($"A namespace must declare between 1 and {MaxEventHubs} event hubs.");
        }

        var seenHubs = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entity in ns.Entities ?? [])
        {
            if (string.IsNullOrEmpty(entity.Name) || !NamePattern().IsMatch(entity.Name))
            {
                errors.Add($"Event hub name '{entity.Name}' is not a valid name.");
                continue;
            }

            if (!seenHubs.Add(entity.Name))
            {
                errors.Add($"Event hub '{entity.Name}' is declared twice.");
            }

            if (entity.PartitionCount is < 1 or > MaxPartitions)
            {
                errors.Add($"Event hub '{entity.Name}' has PartitionCount {entity.PartitionCount}; it must be 1 to {MaxPartitions}.");
            }

            var groups = entity.ConsumerGroups ?? [];
            if (groups.Count > MaxConsumerGroups)
            {
                errors.Add($"Event hub '{entity.Name}' declares {groups.Count} consumer groups; at most {MaxConsumerGroups} are allowed.");
            }

            var seenGroups = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var group in groups)
            {
                if (string.Equals(group.Name, DefaultConsumerGroup, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add($"Event hub '{entity.Name}': the $Default consumer group always exists and cannot be declared.");
                }
                else if (string.IsNullOrEmpty(group.Name) || !NamePattern().IsMatch(group.Name))
                {
                    errors.Add($"Event hub '{entity.Name}': consumer group name '{group.Name}' is not a valid name.");
                }
                else if (!seenGroups.Add(group.Name))
                {
                    errors.Add($"Event hub '{entity.Name}': consumer group '{group.Name}' is declared twice.");
                }
            }
        }

        foreach (var policy in Emulator?.SharedAccessPolicies ?? [])
        {
            if (string.IsNullOrEmpty(policy.Name) || string.IsNullOrEmpty(policy.Key))
            {
                errors.Add("Every shared access policy needs a Name and a Key.");
            }

            foreach (var right in policy.Rights ?? [])
            {
                if (right is not ("Send" or "Listen" or "Manage"))
                {
                    errors.Add($"Policy '{policy.Name}': right '{right}' must be Send, Listen or Manage.");
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new EmulatorConfigurationException(string.Join(Environment.NewLine, errors));
        }
    }

    // The official schema's pattern: ^[A-Za-z0-9]$|^[A-Za-z0-9][\w-\.\/]*[A-Za-z0-9]$
    [GeneratedRegex(@"^[A-Za-z0-9]$|^[A-Za-z0-9][\w\-\./]*[A-Za-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}

/// <summary>The <c>UserConfig</c> section.</summary>
public sealed record UserConfig
{
    /// <summary>Exactly one namespace.</summary>
    public required IReadOnlyList<NamespaceConfig> NamespaceConfig { get; init; }

    /// <summary>Where the official emulator logs; accepted and otherwise ignored.</summary>
    public LoggingConfig? LoggingConfig { get; init; }
}

/// <summary>A namespace.</summary>
public sealed record NamespaceConfig
{
    /// <summary>Always <c>EventHub</c>.</summary>
    public string Type { get; init; } = "EventHub";

    /// <summary>The namespace name (the official emulator only allows <c>emulatorNs1</c>; any valid name is accepted here).</summary>
    public string Name { get; init; } = "emulatorNs1";

    /// <summary>The event hubs.</summary>
    public required IReadOnlyList<EntityConfig> Entities { get; init; }
}

/// <summary>An event hub.</summary>
public sealed record EntityConfig
{
    /// <summary>The hub name.</summary>
    public required string Name { get; init; }

    /// <summary>1 to 32.</summary>
    public int PartitionCount { get; init; }

    /// <summary>Declared consumer groups; <c>$Default</c> always exists as well.</summary>
    public IReadOnlyList<ConsumerGroupConfig>? ConsumerGroups { get; init; }
}

/// <summary>A consumer group.</summary>
public sealed record ConsumerGroupConfig
{
    /// <summary>The consumer group name.</summary>
    public required string Name { get; init; }
}

/// <summary>The <c>LoggingConfig</c> section.</summary>
public sealed record LoggingConfig
{
    /// <summary><c>File</c>, <c>Console</c>, <c>File,Console</c> or <c>Console,File</c>.</summary>
    public string Type { get; init; } = "File";
}

/// <summary>Settings that only this emulator reads.</summary>
public sealed record EmulatorSection
{
    /// <summary>Shared access policies. With none, any token is accepted (as the official emulator does).</summary>
    public IReadOnlyList<SharedAccessPolicy>? SharedAccessPolicies { get; init; }
}

/// <summary>A shared access policy, at namespace level or scoped to an entity path.</summary>
public sealed record SharedAccessPolicy
{
    /// <summary>The key name (<c>skn</c> in tokens), e.g. <c>RootManageSharedAccessKey</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The key, used as UTF-8 bytes for HMAC-SHA256 (as the SDKs do).</summary>
    public required string Key { get; init; }

    /// <summary><c>Send</c>, <c>Listen</c>, <c>Manage</c> (Manage implies both others).</summary>
    public IReadOnlyList<string>? Rights { get; init; }

    /// <summary>
    /// The entity path the policy is limited to: empty for the whole namespace, <c>hub</c> for one hub, or
    /// <c>hub/Publishers/name</c> for one publisher endpoint (send only there).
    /// </summary>
    public string? Scope { get; init; }
}

/// <summary>A configuration that breaks the schema or a quota.</summary>
public sealed class EmulatorConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EmulatorConfigurationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public EmulatorConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public EmulatorConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
