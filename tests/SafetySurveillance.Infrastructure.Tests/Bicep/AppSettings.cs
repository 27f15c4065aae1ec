using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using SafetySurveillance.Functions.Configuration;

namespace SafetySurveillance.Infrastructure.Tests.Bicep;

/// <summary>An app setting of the function app in the compiled template.</summary>
/// <param name="Name">The setting name.</param>
/// <param name="Value">The value with module parameters shown as <c>{param:name}</c>.</param>
/// <param name="RawExpression">The value as the template holds it.</param>
internal sealed record AppSetting(string Name, string Value, string RawExpression);

/// <summary>A setting the function app reads, as it must be named in Azure.</summary>
internal sealed record ExpectedSetting(string Key, bool IsSecret, bool IsConnection);

internal static class AppSettings
{
    /// <summary>Settings of the Functions host itself (not read by the app), and that are local-only.</summary>
    public static IReadOnlySet<string> LocalOnly { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        // Flex Consumption takes the worker from functionAppConfig.runtime and refuses this setting.
        "FUNCTIONS_WORKER_RUNTIME",
    };

    public static IReadOnlyList<AppSetting> FromTemplate(ArmTemplate template)
    {
        var site = template.Single("Microsoft.Web/sites");
        var expression = new ArmExpression(site.Template, name => $"{{param:{name}}}");
        return site.Properties["siteConfig"]!["appSettings"]!.AsArray()
            .Select(s => new AppSetting(
                (string)s!["name"]!,
                expression.ResolveToString(s["value"]),
                s["value"]!.ToJsonString()))
            .ToList();
    }

    /// <summary>
    /// Every key the app reads in Azure, from its options classes: <c>Section__Property</c> (or the
    /// <see cref="ConfigurationKeyNameAttribute"/> name for top-level settings). For a
    /// <see cref="ServiceConnectionAttribute"/> class the connection-string form is local-only, so its
    /// identity-based children are expected instead.
    /// </summary>
    public static IReadOnlyList<ExpectedSetting> ExpectedAzureKeys() =>
        FunctionAppSettings.Sections.SelectMany(KeysOf).ToList();

    /// <summary>Every key the app reads locally: the same, except a connection is one connection-string setting.</summary>
    public static IReadOnlyList<string> ExpectedLocalKeys() =>
        FunctionAppSettings.Sections.SelectMany(section => IsConnection(section)
                ? [section.Section!]
                : KeysOf(section).Select(k => k.Key))
            .ToList();

    private static bool IsConnection(SettingsSection section) =>
        section.OptionsType.GetCustomAttribute<ServiceConnectionAttribute>() is not null;

    private static IEnumerable<ExpectedSetting> KeysOf(SettingsSection section) =>
        section.OptionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Where(p => !(IsConnection(section) && p.Name == nameof(StorageOptions.ConnectionString)))
            .Select(p =>
            {
                var name = p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? p.Name;
                var key = section.Section is null ? name : $"{section.Section}__{name}";
                return new ExpectedSetting(key, p.GetCustomAttribute<SecretSettingAttribute>() is not null, IsConnection(section));
            });

    public static IReadOnlyDictionary<string, string> LocalSample()
    {
        var values = JsonNode.Parse(File.ReadAllText(Repository.LocalSettingsSample))!["Values"]!.AsObject();
        return values.ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.Ordinal);
    }
}
