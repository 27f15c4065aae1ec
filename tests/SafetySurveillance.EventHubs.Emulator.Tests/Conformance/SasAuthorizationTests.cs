using Amqp;
using Amqp.Framing;
using SafetySurveillance.EventHubs.Emulator.Configuration;
using SafetySurveillance.EventHubs.Emulator.Publishing;
using SafetySurveillance.EventHubs.Emulator.Tests.Support;
using Xunit;

namespace SafetySurveillance.EventHubs.Emulator.Tests.Conformance;

public sealed class SasFixture : EmulatorFixture
{
    public const string RootKey = "root-key-1234";
    public const string PublisherKey = "rx1-key-5678";

    protected override EmulatorConfiguration Configuration => EmulatorConfiguration.ForHubs([("sas", 2)]) with
    {
        Emulator = new EmulatorSection
        {
            SharedAccessPolicies =
            [
                new SharedAccessPolicy { Name = "RootManageSharedAccessKey", Key = RootKey, Rights = ["Manage"] },
                new SharedAccessPolicy { Name = "trust-RX1", Key = PublisherKey, Rights = ["Send"], Scope = "sas/Publishers/RX1" },
            ],
        },
    };
}

/// <summary>With shared access policies configured, tokens are verified and scoped; the official JS SDK sees the service's errors.</summary>
public sealed class SasAuthorizationTests(SasFixture fixture) : IClassFixture<SasFixture>
{
    private readonly CancellationToken cancellationToken = TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_js_sdk_with_the_right_key_reads_properties_sends_and_receives()
    {
        var cs = fixture.Emulator.GetConnectionString(keyName: "RootManageSharedAccessKey", key: SasFixture.RootKey);
        var properties = await NodeScript.RunAsync("properties", new { connectionString = cs, hub = "sas" }, cancellationToken);
        Assert.Equal("sas", properties["name"]!.GetValue<string>());

        await NodeScript.RunAsync("send", new { connectionString = cs, hub = "sas", batches = new[] { new { partitionId = "1", bodies = new[] { "signed" } } } }, cancellationToken);
        var received = await NodeScript.RunAsync("receive", new { connectionString = cs, hub = "sas", partitionId = "1", start = new { kind = "earliest" }, untilBodies = new[] { "signed" } }, cancellationToken);
        Assert.Contains(received["events"]!.AsArray(), e => e!["body"]!.GetValue<string>() == "signed");
    }

    [Fact]
    public async Task The_js_sdk_with_a_bad_key_is_refused_as_unauthorized()
    {
        var cs = fixture.Emulator.GetConnectionString(keyName: "RootManageSharedAccessKey", key: "not-the-key");

        var result = await NodeScript.RunAsync("sendArray", new { connectionString = cs, hub = "sas", bodies = new[] { "x" }, maxRetries = 0 }, cancellationToken);

        Assert.Equal("UnauthorizedError", result["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_publisher_scoped_send_key_cannot_send_to_the_hub()
    {
        var cs = fixture.Emulator.GetConnectionString(keyName: "trust-RX1", key: SasFixture.PublisherKey);

        var result = await NodeScript.RunAsync("sendArray", new { connectionString = cs, hub = "sas", bodies = new[] { "x" }, maxRetries = 0 }, cancellationToken);

        Assert.Equal("UnauthorizedError", result["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_publisher_scoped_key_sends_only_to_its_publisher_and_consumers_see_the_publisher()
    {
        var port = fixture.Emulator.Port;
        var connection = await AmqpTestClient.ConnectAsync(port);
        try
        {
            var session = new Session(connection);
            var audience = $"sb://localhost:{port}/sas/Publishers/RX1";
            var token = Sas.Token(audience, "trust-RX1", SasFixture.PublisherKey, DateTimeOffset.UtcNow.AddHours(1));
            Assert.Equal(202, await Sas.PutTokenAsync(session, audience, token));

            var otherAudience = $"sb://localhost:{port}/sas/Publishers/RTH";
            Assert.Equal(401, await Sas.PutTokenAsync(session, otherAudience, Sas.Token(otherAudience, "trust-RX1", SasFixture.PublisherKey, DateTimeOffset.UtcNow.AddHours(1))));
            Assert.Equal(401, await Sas.PutTokenAsync(session, audience, Sas.Token(audience, "trust-RX1", SasFixture.PublisherKey, DateTimeOffset.UtcNow.AddMinutes(-1))));

            var sender = new SenderLink(session, "rx1", "sas/Publishers/RX1");
            await sender.SendAsync(AmqpTestClient.Event("from RX1"));

            var toOther = new SenderLink(session, "rth", "sas/Publishers/RTH");
            var refused = await Assert.ThrowsAsync<AmqpException>(() => toOther.SendAsync(AmqpTestClient.Event("spoofed")));
            Assert.Equal("amqp:unauthorized-access", (string)refused.Error.Condition);
        }
        finally
        {
            await connection.CloseAsync();
        }

        var cs = fixture.Emulator.GetConnectionString(keyName: "RootManageSharedAccessKey", key: SasFixture.RootKey);
        var partition = PartitionKeyHasher.PartitionIndex("RX1", 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var result = await NodeScript.RunAsync("receive", new { connectionString = cs, hub = "sas", partitionId = partition, start = new { kind = "earliest" }, untilBodies = new[] { "from RX1" } }, cancellationToken);
        var received = result["events"]!.AsArray().Select(e => e!).ToList();

        var fromRx1 = Assert.Single(received, e => e["body"]!.GetValue<string>() == "from RX1");
        Assert.Equal("RX1", fromRx1["systemProperties"]!["x-opt-publisher"]!.GetValue<string>());
        Assert.DoesNotContain(received, e => e["body"]!.GetValue<string>() == "spoofed");
    }
}
