namespace SafetySurveillance.Functions.Configuration;

/// <summary>One group of app settings the function app reads, and the options class it binds to.</summary>
/// <param name="Section">The configuration section, or <see langword="null"/> for top-level settings.</param>
/// <param name="OptionsType">The options class bound from that section.</param>
public sealed record SettingsSection(string? Section, Type OptionsType);

/// <summary>The catalogue of every app setting group the function app reads.</summary>
public static class FunctionAppSettings
{
    /// <summary>
    /// Every options class the app binds, with its section. <see cref="FunctionAppConfigurationExtensions.AddFunctionAppOptions"/>
    /// registers exactly these, and the infrastructure tests check the Bicep app settings against them.
    /// </summary>
    public static IReadOnlyList<SettingsSection> Sections { get; } =
    [
        new(StorageOptions.SectionName, typeof(StorageOptions)),
        new(EventHubConnectionOptions.SectionName, typeof(EventHubConnectionOptions)),
        new(null, typeof(EventHubOptions)),
        new(PseudonymisationOptions.SectionName, typeof(PseudonymisationOptions)),
        new(SmtpOptions.SectionName, typeof(SmtpOptions)),
        new(WebhookOptions.SectionName, typeof(WebhookOptions)),
        new(AuthOptions.SectionName, typeof(AuthOptions)),
        new(GovernanceOptions.SectionName, typeof(GovernanceOptions)),
        new(Access.AccessOptions.SectionName, typeof(Access.AccessOptions)),
        new(Alerts.DashboardOptions.SectionName, typeof(Alerts.DashboardOptions)),
        new(EvaluateSignals.SignalRulesOptions.SectionName, typeof(EvaluateSignals.SignalRulesOptions)),
    ];
}
