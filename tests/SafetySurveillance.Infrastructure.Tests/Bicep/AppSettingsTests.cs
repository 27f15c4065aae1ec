using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SafetySurveillance.Functions.Configuration;

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

    [Fact]
    public void The_local_sample_values_pass_the_app_start_up_validation()
    {
        using var host = BuildHost(AppSettings.LocalSample());

        foreach (var section in FunctionAppSettings.Sections)
        {
            var options = host.Services.GetRequiredService(typeof(IOptions<>).MakeGenericType(section.OptionsType));
            Assert.NotNull(options.GetType().GetProperty("Value")!.GetValue(options));
        }
    }

    [Theory]
    [InlineData("Pseudonymisation__Key")]
    [InlineData("EventHubName")]
    [InlineData("Storage")]
    [InlineData("EventHubConnection")]
    [InlineData("Smtp__From")]
    [InlineData("Auth__Authority")]
    [InlineData("Governance__NationalReviewers")]
    [InlineData("Webhooks__SigningKey")]
    public async Task The_app_refuses_to_start_without_a_required_setting(string key)
    {
        var settings = AppSettings.LocalSample().Where(p => p.Key != key).ToDictionary();
        using var host = BuildHost(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.NotEmpty(error.Failures);
    }

    [Fact]
    public async Task A_pseudonymisation_key_shorter_than_32_bytes_is_refused_without_echoing_it()
    {
        var shortKey = Convert.ToBase64String("only-sixteen-byt"u8.ToArray());
        var settings = AppSettings.LocalSample().ToDictionary();
        settings["Pseudonymisation__Key"] = shortKey;
        using var host = BuildHost(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("at least 32 bytes", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(shortKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_based_storage_settings_pass_validation_without_a_connection_string()
    {
        var settings = AppSettings.LocalSample().Where(p => p.Key != "Storage").ToDictionary();
        settings["Storage__tableServiceUri"] = "https://account.table.core.windows.net";
        settings["Storage__queueServiceUri"] = "https://account.queue.core.windows.net";
        settings["Storage__blobServiceUri"] = "https://account.blob.core.windows.net";
        settings["Storage__credential"] = "managedidentity";
        using var host = BuildHost(settings);

        var storage = host.Services.GetRequiredService<IOptions<StorageOptions>>().Value;

        Assert.Null(storage.ConnectionString);
        Assert.Equal(new Uri("https://account.table.core.windows.net"), storage.TableServiceUri);
    }

    // App settings reach the app as environment variables, where "__" stands for ":".
    private static IHost BuildHost(IReadOnlyDictionary<string, string> appSettings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(
            appSettings.Select(p => KeyValuePair.Create(p.Key.Replace("__", ":", StringComparison.Ordinal), (string?)p.Value)));
        builder.AddFunctionAppOptions();
        return builder.Build();
    }
}
