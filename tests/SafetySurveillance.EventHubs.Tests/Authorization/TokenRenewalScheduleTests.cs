using Azure;
using Microsoft.Extensions.Time.Testing;
using SafetySurveillance.EventHubs.Amqp;
using SafetySurveillance.EventHubs.Authorization;

namespace SafetySurveillance.EventHubs.Tests.Authorization;

public sealed class TokenRenewalScheduleTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    private AmqpConnectionScope Scope() => new(
        new Uri("sb://localhost:5672/"),
        "eh1",
        useDevelopmentEmulator: true,
        CbsTokenProvider.FromSharedAccessKey(new AzureNamedKeyCredential("n", "k"), TimeSpan.FromHours(1), clock),
        new EventHubConnectionOptions(),
        clock);

    [Fact]
    public void A_long_lived_token_is_renewed_five_minutes_before_it_expires()
    {
        Assert.Equal(TimeSpan.FromMinutes(55), Scope().RefreshDelay(clock.GetUtcNow().AddHours(1), failures: 0));
    }

    [Fact]
    public void A_short_lived_token_is_renewed_at_half_its_remaining_life()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), Scope().RefreshDelay(clock.GetUtcNow().AddSeconds(4), failures: 0));
    }

    [Fact]
    public void An_expired_token_is_renewed_at_once_and_failed_renewals_back_off()
    {
        var scope = Scope();

        Assert.Equal(TimeSpan.FromSeconds(1), scope.RefreshDelay(clock.GetUtcNow().AddMinutes(-1), failures: 0));
        Assert.Equal(TimeSpan.FromSeconds(2), scope.RefreshDelay(clock.GetUtcNow().AddHours(1), failures: 1));
        Assert.Equal(TimeSpan.FromSeconds(30), scope.RefreshDelay(clock.GetUtcNow().AddHours(1), failures: 100));
    }

    [Fact]
    public async Task A_closed_connection_refuses_work_as_client_closed_without_retrying()
    {
        await using var producer = new SafetySurveillance.EventHubs.Producer.EventHubProducerClient("Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=n;SharedAccessKey=k;EntityPath=eh1;UseDevelopmentEmulator=true");
        await producer.CloseAsync(TestContext.Current.CancellationToken);

        var failure = await Assert.ThrowsAsync<EventHubsException>(() => producer.SendAsync([new EventData("x")], TestContext.Current.CancellationToken));

        Assert.Equal(EventHubsException.FailureReason.ClientClosed, failure.Reason);
    }
}
