namespace SafetySurveillance.Infrastructure.Tests.Bicep;

public sealed class AppSettingsTests(CompiledMainTemplate compiled)
{
    private readonly IReadOnlyList<AppSetting> _azure = AppSettings.FromTemplate(compiled.Template);

    [Fact]
    public void Every_setting_the_function_app_reads_is_provided_in_Azure()
    {
        // .NET configuration keys are case-insensitive: Storage__tableServiceUri binds StorageOptions.TableServiceUri.
        var names = _azure.Select(s => s.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = AppSettings.ExpectedAzureKeys()
            .Where(k => !names.Contains(k.Key))
            .Select(k => k.Key)
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Identity_based_connections_use_the_managed_identity_in_Azure()
    {
        var prefixes = AppSettings.ExpectedAzureKeys().Where(k => k.IsConnection)
            .Select(k => k.Key[..k.Key.IndexOf("__", StringComparison.Ordinal)])
            .Append("AzureWebJobsStorage")
            .Distinct()
            .ToList();

        Assert.Contains("Storage", prefixes);
        Assert.Contains("EventHubConnection", prefixes);
        Assert.All(prefixes, prefix =>
        {
            Assert.Equal("managedidentity", Assert.Single(_azure, s => s.Name == $"{prefix}__credential").Value);
            Assert.Equal("{param:identityClientId}", Assert.Single(_azure, s => s.Name == $"{prefix}__clientId").Value);
            Assert.DoesNotContain(_azure, s => s.Name == prefix);
        });
    }

    [Fact]
    public void Every_setting_in_local_settings_sample_exists_in_Azure_under_the_same_name()
    {
        var names = _azure.Select(s => s.Name).ToList();
        var missing = AppSettings.LocalSample().Keys
            .Where(key => !AppSettings.LocalOnly.Contains(key))
            // A local connection string "X" is the identity-based "X__..." settings in Azure.
            .Where(key => !names.Contains(key) && !names.Any(n => n.StartsWith(key + "__", StringComparison.Ordinal)))
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Every_setting_in_Azure_is_documented_in_local_settings_sample()
    {
        var local = AppSettings.LocalSample().Keys.ToList();
        var undocumented = _azure.Select(s => s.Name)
            .Where(name => !local.Contains(name))
            .Where(name => !local.Any(key => name.StartsWith(key + "__", StringComparison.Ordinal)))
            // Telemetry is wired by the platform; locally there is no Application Insights.
            .Where(name => !name.StartsWith("APPLICATIONINSIGHTS_", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(undocumented);
    }

    [Fact]
    public void Every_setting_the_function_app_reads_is_in_local_settings_sample()
    {
        var sample = AppSettings.LocalSample();
        var missing = AppSettings.ExpectedLocalKeys().Where(k => !sample.ContainsKey(k)).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Every_setting_is_documented_in_the_configuration_guide()
    {
        var guide = File.ReadAllText(Path.Combine(Repository.Root, "docs", "configuration.md"));
        var names = AppSettings.LocalSample().Keys.Concat(_azure.Select(s => s.Name)).Distinct().ToList();

        Assert.All(names, name => Assert.Contains($"`{name}`", guide, StringComparison.Ordinal));
    }
}
