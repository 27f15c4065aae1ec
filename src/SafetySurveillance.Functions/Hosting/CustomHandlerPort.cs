using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace SafetySurveillance.Functions.Hosting;

/// <summary>The loopback port the Functions host expects the handler on.</summary>
public static class CustomHandlerPort
{
    /// <summary>Set by the Functions host (a free port it picks) for the child process.</summary>
    public const string VariableName = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>The older name of the same variable, still set by the host.</summary>
    public const string LegacyVariableName = "FUNCTIONS_HTTPWORKER_PORT";

    /// <summary>The port used when neither variable is set (a local run of the app on its own).</summary>
    public const int LocalDefault = 7072;

    /// <summary>Reads the port from configuration (environment variables are part of it).</summary>
    public static int Resolve(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[VariableName] ?? configuration[LegacyVariableName];
        if (text is null)
        {
            return LocalDefault;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"{VariableName} must be a TCP port number, not '{text}'.");
        }

        return port;
    }
}
