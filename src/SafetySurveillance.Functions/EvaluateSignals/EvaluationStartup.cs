using Microsoft.Extensions.Hosting;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Storage.Alerts;

namespace SafetySurveillance.Functions.EvaluateSignals;

/// <summary>
/// At start: loads the rules file (a missing or invalid file stops the app with every problem listed, instead of failing
/// on the first message), and creates the Alerts and CusumCharts tables and both queues (idempotent).
/// </summary>
public sealed class EvaluationStartup(
    SignalRuleSet rules,
    AlertStore alerts,
    CusumChartStore charts,
    StorageQueues queues) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rules); // resolving it loaded and validated the file
        await alerts.CreateTableIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await charts.CreateTableIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        foreach (string queue in new[] { AlertOutbox.QueueName, SignalsTouchedMessage.QueueName })
        {
            await queues.Get(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
