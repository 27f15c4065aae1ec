using SafetySurveillance.EventHubs;

namespace SafetySurveillance.Infrastructure.Tests.Publishing;

public sealed class TrustTokenScriptTests
{
    private static string Script => Path.Combine(Repository.Root, "scripts", "trust-sas-token.sh");

    [Theory]
    [InlineData("RJ1", "k3y+with/base64=chars")]
    [InlineData("7A1", "AnotherRuleKey0123456789abcdefghijklmnopqrs=")]
    public async Task The_script_signs_a_token_for_the_trusts_publisher_exactly_as_the_client_library_does(string ods, string key)
    {
        var expiry = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000);

        var result = await RunAsync(["--ods", ods, "--expiry", "1900000000"], key);

        var rule = $"trust-{ods.ToLowerInvariant()}-send";
        var expected = SharedAccessSignature.Create(
            $"https://evhns-test.servicebus.windows.net/safety-events/publishers/{ods}", rule, key, expiry);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(expected, result.StandardOutput.Trim());
    }

    [Theory]
    [InlineData("R")]
    [InlineData("RJ1/../x")]
    [InlineData("RJ 1")]
    public async Task The_script_refuses_anything_but_an_ODS_code(string ods)
    {
        var result = await RunAsync(["--ods", ods], "key");

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.StandardOutput);
    }

    private static Task<ProcessResult> RunAsync(string[] arguments, string key) =>
        ProcessRunner.RunAsync(
            "bash",
            [Script, .. arguments],
            Repository.Root,
            TestContext.Current.CancellationToken,
            new Dictionary<string, string?> { ["EVENT_HUBS_NAMESPACE"] = "evhns-test", ["TRUST_RULE_KEY"] = key });
}
