using Microsoft.Extensions.Hosting;

namespace SafetySurveillance.Functions.Hosting;

/// <summary>
/// Under DevHost (which sets <c>DEVHOST_EXIT_ON_STDIN_EOF</c>), stops the app when its standard input closes: the
/// parent is gone — even killed with SIGKILL — so no orphaned handler keeps running. The real Functions host does
/// not set the variable, and then this does nothing.
/// </summary>
public sealed class ParentProcessWatch(IHostApplicationLifetime lifetime) : BackgroundService
{
    /// <summary>The variable DevHost sets.</summary>
    public const string Variable = "DEVHOST_EXIT_ON_STDIN_EOF";

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            return;
        }

        var stdin = Console.OpenStandardInput();
        var buffer = new byte[256];
        try
        {
            while (await stdin.ReadAsync(buffer, stoppingToken).ConfigureAwait(false) > 0)
            {
                // Nothing is ever written; only the end of the stream matters.
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lifetime.StopApplication();
    }
}
