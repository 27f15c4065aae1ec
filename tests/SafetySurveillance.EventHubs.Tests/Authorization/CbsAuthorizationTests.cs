using Azure;
using Azure.Core;
using Microsoft.Extensions.Time.Testing;
using SafetySurveillance.EventHubs.Producer;
using SafetySurveillance.EventHubs.Tests.Peers;
using SafetySurveillance.EventHubs.Tests.Support;

namespace SafetySurveillance.EventHubs.Tests.Authorization;

public sealed class CbsAuthorizationTests
{
    [Fact]
    public async Task A_send_first_puts_a_sas_token_for_the_entity_audience_signed_with_the_key()
    {
        await using var broker = RecordingBroker.Start();
        await using var producer = new EventHubProducerClient(broker.ConnectionString());

        await producer.SendAsync([new EventData("x")], new SendEventOptions { PartitionId = "1" }, TestContext.Current.CancellationToken);

        var put = Assert.Single(broker.PutTokens);
        var audience = $"sb://127.0.0.1:{broker.Port}/eh1/Partitions/1";
        Assert.Equal(audience, put.Name);
        Assert.Equal("servicebus.windows.net:sastoken", put.Type);
        var expiry = SharedAccessSignature.GetExpiry(put.Token)!.Value;
        Assert.Equal(SharedAccessSignature.Create(audience, "RootManageSharedAccessKey", "secret-key", expiry), put.Token);
        Assert.Equal("eh1/Partitions/1", Assert.Single(broker.Received).Address);
    }

    [Fact]
    public async Task A_token_credential_puts_a_jwt_for_the_event_hubs_scope()
    {
        await using var broker = RecordingBroker.Start();
        var credential = new RecordingCredential("header.payload.signature");
        var options = new EventHubProducerClientOptions { ConnectionOptions = { UseDevelopmentEmulator = true } };
        await using var producer = new EventHubProducerClient($"127.0.0.1:{broker.Port}", "eh1", credential, options);

        await producer.SendAsync([new EventData("x")], TestContext.Current.CancellationToken);

        var put = Assert.Single(broker.PutTokens);
        Assert.Equal("jwt", put.Type);
        Assert.Equal("header.payload.signature", put.Token);
        Assert.Equal($"sb://127.0.0.1:{broker.Port}/eh1", put.Name);
        Assert.Equal(["https://eventhubs.azure.net/.default"], credential.Scopes);
    }

    [Fact]
    public async Task A_shared_access_signature_credential_is_presented_as_is()
    {
        await using var broker = RecordingBroker.Start();
        var signature = SharedAccessSignature.Create("sb://127.0.0.1/eh1", "send", "k", DateTimeOffset.UtcNow.AddHours(1));
        var options = new EventHubProducerClientOptions { ConnectionOptions = { UseDevelopmentEmulator = true } };
        await using var producer = new EventHubProducerClient($"127.0.0.1:{broker.Port}", "eh1", new AzureSasCredential(signature), options);

        await producer.SendAsync([new EventData("x")], TestContext.Current.CancellationToken);

        Assert.Equal(signature, Assert.Single(broker.PutTokens).Token);
    }

    [Fact]
    public async Task A_refused_token_fails_the_send_as_unauthorized_without_retrying()
    {
        await using var broker = RecordingBroker.Start();
        broker.PutTokenStatus = 401;
        await using var producer = new EventHubProducerClient(broker.ConnectionString());

        var failure = await Assert.ThrowsAsync<EventHubsException>(() => producer.SendAsync([new EventData("x")], TestContext.Current.CancellationToken));

        Assert.Equal(EventHubsException.FailureReason.Unauthorized, failure.Reason);
        Assert.False(failure.IsTransient);
        Assert.Single(broker.PutTokens);
        Assert.Empty(broker.Received);
    }

    [Fact]
    public async Task The_token_of_an_open_link_is_renewed_before_it_expires()
    {
        await using var broker = RecordingBroker.Start();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new EventHubProducerClientOptions { ConnectionOptions = { TimeProvider = clock, SharedAccessSignatureValidity = TimeSpan.FromHours(1) } };
        await using var producer = new EventHubProducerClient(broker.ConnectionString(), null, options);
        await producer.SendAsync([new EventData("x")], TestContext.Current.CancellationToken);
        Assert.Single(broker.PutTokens);

        clock.Advance(TimeSpan.FromMinutes(56));
        await Eventually.TrueAsync(() => broker.PutTokens.Count >= 2, TestContext.Current.CancellationToken);

        var renewed = broker.PutTokens.Last();
        Assert.Equal($"sb://127.0.0.1:{broker.Port}/eh1", renewed.Name);
        Assert.True(SharedAccessSignature.GetExpiry(renewed.Token) > SharedAccessSignature.GetExpiry(broker.PutTokens.First().Token));
    }

    private sealed class RecordingCredential(string token) : TokenCredential
    {
        public string[] Scopes { get; private set; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes = requestContext.Scopes;
            return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
            => ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
