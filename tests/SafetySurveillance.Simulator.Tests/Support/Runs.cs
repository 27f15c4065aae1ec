using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SafetySurveillance.Simulator.Generation;

namespace SafetySurveillance.Simulator.Tests.Support;

/// <summary>Builders for generated runs at a fixed clock.</summary>
internal static class Runs
{
    /// <summary>A fixed "now" in the past of the real clock, so the reader's own clock never disagrees.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 1, 9, 30, 0, TimeSpan.Zero);

    public static SimulationRun Generate(SimulationOptions options, DateTimeOffset? now = null) =>
        new SafetyEventGenerator(new FakeTimeProvider(now ?? Now)).Generate(options);

    public static JsonElement Data(SimulatedEvent e)
    {
        using var document = JsonDocument.Parse(e.Body);
        return document.RootElement.GetProperty("data").Clone();
    }

    public static DateOnly Date(JsonElement data, string name) => DateOnly.ParseExact(data.GetProperty(name).GetString()!, "yyyy-MM-dd");
}
