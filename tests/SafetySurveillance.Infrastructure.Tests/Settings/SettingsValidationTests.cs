using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SafetySurveillance.Functions.Configuration;
using SafetySurveillance.Infrastructure.Tests.Bicep;

namespace SafetySurveillance.Infrastructure.Tests.Settings;

/// <summary>The function app's start-up validation against the local settings contract.</summary>
public sealed class SettingsValidationTests
{
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
