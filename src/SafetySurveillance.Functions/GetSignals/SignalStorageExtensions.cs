using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SafetySurveillance.Functions.Configuration;
using SafetySurveillance.Functions.Hosting;
using SafetySurveillance.Storage.Signals;

namespace SafetySurveillance.Functions.GetSignals;

/// <summary>Registers the <c>Signals</c> table store (shared by ingestion and the reviewer API) and maps <c>GetSignals</c>.</summary>
public static class SignalStorageExtensions
{
    /// <summary>
    /// Registers, each once for the app: the <see cref="TableServiceClient"/> from <c>Storage</c> (a connection
    /// string locally; <c>Storage__tableServiceUri</c> with the managed identity in Azure), one
    /// <see cref="SignalTableStore"/> per process (its row cache is shared by every invocation), and the access
    /// policy of the reviewer API (<see cref="RoleBasedSignalsAccess"/>, over the app's <see cref="Access.ICallerAuthenticator"/>).
    /// TryAdd keeps registrations of the same types made by other functions.
    /// </summary>
    public static IHostApplicationBuilder AddSignalStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        builder.AddStorageClients();
        services.TryAddSingleton(sp => new SignalTableStore(
            sp.GetRequiredService<TableServiceClient>().GetTableClient(SignalTableStore.TableName),
            new SignalTableStoreOptions { TimeProvider = sp.GetRequiredService<TimeProvider>() }));
        services.TryAddSingleton<ISignalsAccessPolicy, RoleBasedSignalsAccess>();
        return builder;
    }

    /// <summary>Maps <c>POST /GetSignals</c>, the route the Functions host calls.</summary>
    public static IEndpointRouteBuilder MapGetSignals(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/" + GetSignalsFunction.Name, GetSignalsFunction.InvokeAsync);
        return endpoints;
    }
}
