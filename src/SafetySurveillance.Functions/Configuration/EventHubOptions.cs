using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace SafetySurveillance.Functions.Configuration;

/// <summary>
/// The hub and consumer group. These are top-level settings (not a section) because the trigger binding
/// in <c>IngestSafetyEvents/function.json</c> reads them as <c>%EventHubName%</c> and <c>%EventHubConsumerGroup%</c>.
/// </summary>
public sealed class EventHubOptions
{
    /// <summary>The hub the trusts send to, <c>safety-events</c>.</summary>
    [Required]
    [ConfigurationKeyName("EventHubName")]
    public string HubName { get; set; } = string.Empty;

    /// <summary>The consumer group the ingest function reads with.</summary>
    [Required]
    [ConfigurationKeyName("EventHubConsumerGroup")]
    public string ConsumerGroup { get; set; } = string.Empty;
}
