using SafetySurveillance.CustomHandler.Definitions;
using SafetySurveillance.DevHost.DevIssuer;
using SafetySurveillance.DevHost.FunctionApp;
using SafetySurveillance.DevHost.Http;
using SafetySurveillance.DevHost.Status;
using SafetySurveillance.DevHost.Triggers;
using SafetySurveillance.EventHubs.Emulator;
using SafetySurveillance.EventHubs.Emulator.Configuration;
using SafetySurveillance.LocalServices.Azurite;

namespace SafetySurveillance.DevHost;

/// <summary>Composes DevHost: local services, the function app under supervision, and its triggers.</summary>
public static class DevHostApplication
{
    /// <summary>Builds the DevHost web application (starting Azurite first, so the app settings can point at it).</summary>
    public static async Task<WebApplication> BuildAsync(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(DevHostOptions.Section).Get<DevHostOptions>() ?? new DevHostOptions();
        var root = LocalSettings.FindRepositoryRoot(Environment.CurrentDirectory) ?? LocalSettings.FindRepositoryRoot(AppContext.BaseDirectory);
        var appPath = options.AppPath ?? Path.Combine(root ?? ".", "artifacts", "bin", "SafetySurveillance.Functions", "debug");
        var definition = FunctionAppDefinition.Load(Path.GetFullPath(appPath));
        var settingsFile = options.SettingsFile
            ?? new[] { "local.settings.json", "local.settings.sample.json" }.Select(f => Path.Combine(root ?? ".", f)).FirstOrDefault(File.Exists);
        var settings = settingsFile is null ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) : LocalSettings.Read(settingsFile);
        var dataDirectory = Path.GetFullPath(options.DataDirectory ?? Path.Combine(root ?? ".", ".data"));

        AzuriteInstance? azurite = null;
        int? azuriteTablePort = null;
        int? adoptedAzurite = null;
        if (options.StartAzurite && options.AzuriteDefaultPorts && await SafetySurveillance.LocalServices.Processes.FreePort.IsListeningAsync(AzuritePorts.Default.Table).ConfigureAwait(false))
        {
            // Reuse a running Azurite (for example one left by a DevHost that was killed): same data, same ports.
            settings["AzureWebJobsStorage"] = "UseDevelopmentStorage=true";
            settings["Storage"] = "UseDevelopmentStorage=true";
        }
        else if (options.StartAzurite && !options.AzuriteDefaultPorts && await DevHostEndpoints.ReadAsync(dataDirectory).ConfigureAwait(false) is { } previous
            && previous.AzuriteTablePort is { } tablePort && await SafetySurveillance.LocalServices.Processes.FreePort.IsListeningAsync(tablePort).ConfigureAwait(false))
        {
            // Reuse the Azurite a previous DevHost on this data folder left running (it was killed): same data, same ports.
            settings["AzureWebJobsStorage"] = previous.Storage;
            settings["Storage"] = previous.Storage;
            azuriteTablePort = tablePort;
            adoptedAzurite = previous.AzuriteProcessId;
        }
        else if (options.StartAzurite)
        {
            azurite = await AzuriteInstance.StartAsync(new AzuriteOptions
            {
                NodeModulesDirectory = Path.Combine(root ?? ".", "node_modules"),
                DataDirectory = Path.Combine(dataDirectory, "azurite"),
                LogFile = Path.Combine(dataDirectory, "azurite.log"),
                Ports = options.AzuriteDefaultPorts ? AzuritePorts.Default : null,
            }).ConfigureAwait(false);
            settings["AzureWebJobsStorage"] = azurite.ConnectionString;
            settings["Storage"] = azurite.ConnectionString;
            azuriteTablePort = azurite.TableEndpoint.Port;
        }

        LocalMaildev? maildev = null;
        if (options.StartMaildev)
        {
            maildev = await LocalMaildev.StartOrReuseAsync(
                options, Path.Combine(root ?? ".", "node_modules"), dataDirectory, await DevHostEndpoints.ReadAsync(dataDirectory).ConfigureAwait(false)).ConfigureAwait(false);
            settings["Smtp__Host"] = SafetySurveillance.LocalServices.Maildev.MaildevInstance.Host;
            settings["Smtp__Port"] = maildev.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        EventHubsEmulator? emulator = null;
        if (options.StartEmulator && options.EmulatorPort > 0 && await SafetySurveillance.LocalServices.Processes.FreePort.IsListeningAsync(options.EmulatorPort).ConfigureAwait(false))
        {
            // Reuse a running emulator on the configured port.
            settings["EventHubConnection"] = $"Endpoint=sb://localhost:{options.EmulatorPort};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;";
        }
        else if (options.StartEmulator)
        {
            var hubName = settings.GetValueOrDefault("EventHubName", "safety-events");
            var consumerGroup = settings.GetValueOrDefault("EventHubConsumerGroup", "$Default");
            var configuration = options.EmulatorConfig is { } configPath
                ? await EmulatorConfiguration.LoadAsync(configPath).ConfigureAwait(false)
                : EmulatorConfiguration.ForHubs([(hubName, options.Partitions)], consumerGroup);
            emulator = await EventHubsEmulator.StartAsync(new EventHubsEmulatorOptions
            {
                Port = options.EmulatorPort,
                DataDirectory = Path.Combine(dataDirectory, "eventhubs"),
                Configuration = configuration,
            }).ConfigureAwait(false);
            settings["EventHubConnection"] = emulator.GetConnectionString();
        }

        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.HttpPort}");
        builder.Services.AddSingleton(definition);
        builder.Services.AddSingleton<IReadOnlyDictionary<string, string>>(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DevHostStatus>();
        builder.Services.AddHostedService<StatusLine>();

        // The function app before the triggers: hosted services stop in reverse order, so the triggers stop (and finish
        // or cancel their invocations) while the function app still answers, as the Functions host stops its listeners
        // before the worker.
        builder.Services.AddSingleton<FunctionAppSupervisor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FunctionAppSupervisor>());
        foreach (var function in definition.Functions.Where(f => string.Equals(f.Trigger.Type, "eventHubTrigger", StringComparison.OrdinalIgnoreCase)))
        {
            builder.Services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<EventHubsTriggerListener>(sp, function, definition.Host));
        }

        foreach (var function in definition.Functions.Where(f => string.Equals(f.Trigger.Type, QueueTriggerDefinition.BindingType, StringComparison.OrdinalIgnoreCase)))
        {
            builder.Services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<QueueTriggerListener>(sp, function, definition.Host));
        }

        var hostId = TimerTriggerListener.DefaultHostId(settings, definition.RootPath);
        foreach (var function in definition.Functions.Where(f => string.Equals(f.Trigger.Type, TimerTriggerDefinition.BindingType, StringComparison.OrdinalIgnoreCase)))
        {
            builder.Services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<TimerTriggerListener>(sp, function, hostId));
        }

        builder.Services.AddHttpClient<FunctionInvoker>((sp, http) =>
        {
            http.BaseAddress = sp.GetRequiredService<FunctionAppSupervisor>().BaseAddress;
            http.Timeout = definition.Host.FunctionTimeout is { } t ? t + TimeSpan.FromMinutes(1) : Timeout.InfiniteTimeSpan;
        });
        builder.Services.AddHttpClient("forward", (sp, http) => http.BaseAddress = sp.GetRequiredService<FunctionAppSupervisor>().BaseAddress)
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        if (azurite is not null)
        {
            builder.Services.AddSingleton(azurite);
        }

        // The development token issuer on this port (/dev-issuer); it points Auth__Authority at itself before the
        // function app reads the settings.
        var devIssuer = builder.AddDevIssuer(options.HttpPort, settings, dataDirectory);
        var app = builder.Build();
        // Mapped before the ready line is registered: ApplicationStarted runs its callbacks last-registered first, so
        // the sign-in links print after "DevHost ready".
        app.MapDevIssuer(devIssuer, options.HttpPort, dataDirectory);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var endpoints = new DevHostEndpoints(
                settings.GetValueOrDefault("Storage", ""),
                settings.GetValueOrDefault("EventHubConnection", ""),
                $"http://127.0.0.1:{options.HttpPort}",
                azuriteTablePort,
                Environment.ProcessId,
                azurite?.ProcessId ?? adoptedAzurite,
                maildev?.WebEndpoint.ToString(),
                maildev?.SmtpPort,
                maildev?.ProcessId);
            endpoints.WriteAsync(dataDirectory).GetAwaiter().GetResult();
            Console.WriteLine($"DevHost ready: functions http://127.0.0.1:{options.HttpPort}/api  storage {endpoints.Storage}  event hubs {endpoints.EventHubs}"
                + (maildev is null ? "" : $"  mail {maildev.WebEndpoint} (SMTP 127.0.0.1:{maildev.SmtpPort})"));
        });
        app.MapHttpTriggers(
            definition,
            () => app.Services.GetRequiredService<FunctionInvoker>(),
            () => app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("forward"));
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            // Stop the services after the function app and the triggers: the emulator first, then Azurite,
            // which flushes its data only on SIGINT.
            emulator?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            maildev?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            azurite?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            if (adoptedAzurite is { } orphan)
            {
                // The Azurite a killed DevHost left behind is ours now: stop it the same way (SIGINT flushes its data).
                SafetySurveillance.LocalServices.Processes.PosixSignal.Send(orphan, SafetySurveillance.LocalServices.Processes.PosixSignal.Interrupt);
            }
        });

        return app;
    }
}
