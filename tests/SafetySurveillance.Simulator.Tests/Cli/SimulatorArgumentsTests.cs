using SafetySurveillance.Simulator.Cli;
using Xunit;

namespace SafetySurveillance.Simulator.Tests.Cli;

public sealed class SimulatorArgumentsTests
{
    [Fact]
    public void The_documented_command_line_parses_into_generation_and_sending_options()
    {
        var parsed = SimulatorArguments.Parse(
        [
            "--connection", "Endpoint=sb://localhost;UseDevelopmentEmulator=true", "--hub", "safety-events", "--trusts", "20", "--seed", "42",
            "--events", "10000", "--rate", "500", "--ground-truth", "truth.json", "--duplicates", "0.02", "--injected-trust", "3",
            "--now", "2026-11-01T00:00:00Z", "--resend",
        ]);

        Assert.Empty(parsed.Problems);
        Assert.Equal("Endpoint=sb://localhost;UseDevelopmentEmulator=true", parsed.Connection);
        Assert.Equal(20, parsed.Simulation.TrustCount);
        Assert.Equal(42, parsed.Simulation.Seed);
        Assert.Equal(10_000, parsed.Simulation.EventCount);
        Assert.Equal(0.02, parsed.Simulation.DuplicateFraction);
        Assert.Equal(2, parsed.Simulation.InjectedTrustIndex);
        Assert.Equal(500, parsed.Rate);
        Assert.Equal("truth.json", parsed.GroundTruthPath);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), parsed.Now);
        Assert.True(parsed.Resend);
    }

    [Fact]
    public void Rate_zero_means_as_fast_as_possible_and_injected_trust_zero_means_none()
    {
        var parsed = SimulatorArguments.Parse(["--rate", "0", "--injected-trust", "0"]);

        Assert.Empty(parsed.Problems);
        Assert.Null(parsed.Rate);
        Assert.Null(parsed.Simulation.InjectedTrustIndex);
    }

    [Fact]
    public void Every_bad_argument_is_reported()
    {
        var parsed = SimulatorArguments.Parse(["--events", "-3", "--bogus", "--gateway", "ftp://x", "--connection", "c", "--malformed", "0.9", "--gateway-batch", "501", "--trusts"]);

        Assert.Contains("--events must be an integer ≥ 1.", parsed.Problems);
        Assert.Contains("Unknown option '--bogus'.", parsed.Problems);
        Assert.Contains("--gateway must be an http(s) URL.", parsed.Problems);
        Assert.Contains("MalformedFraction must be 0–0.5.", parsed.Problems);
        Assert.Contains("--trusts needs a value.", parsed.Problems);
        Assert.Contains("--gateway-batch is at most 500 (the gateway's limit per request).", parsed.Problems);
    }
}
