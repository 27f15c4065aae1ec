using Amqp;
using Amqp.Framing;
using SafetySurveillance.EventHubs.Emulator.Configuration;
using SafetySurveillance.EventHubs.Emulator.Tests.Support;
using Xunit;

namespace SafetySurveillance.EventHubs.Emulator.Tests.Protocol;

public sealed class ReceiverRulesFixture : EmulatorFixture
{
    protected override EmulatorConfiguration Configuration => EmulatorConfiguration.ForHubs([("rules", 4)], "cg1", "cg2");
}

/// <summary>Owner levels (epochs) and the five-receiver limit, seen from an AMQP client.</summary>
public sealed class ReceiverRulesTests(ReceiverRulesFixture fixture) : IClassFixture<ReceiverRulesFixture>
{
    [Fact]
    public async Task A_receiver_with_a_higher_epoch_disconnects_the_current_one_with_link_stolen()
    {
        var connection = await AmqpTestClient.ConnectAsync(fixture.Emulator.Port);
        try
        {
            var session = new Session(connection);
            var first = await AttachAsync(session, "rules/ConsumerGroups/$Default/Partitions/0", epoch: 1);
            var firstClosed = ClosedError(first.Link);

            var second = await AttachAsync(session, "rules/ConsumerGroups/$default/Partitions/0", epoch: 2);

            var error = await firstClosed.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            Assert.Equal("amqp:link:stolen", (string)error!.Condition);
            Assert.Contains("higher epoch of '2'", error.Description, StringComparison.Ordinal);
            Assert.NotNull(second.Attach.Source);
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    [Fact]
    public async Task A_lower_epoch_or_no_epoch_is_refused_while_a_higher_epoch_receiver_is_attached()
    {
        var connection = await AmqpTestClient.ConnectAsync(fixture.Emulator.Port);
        try
        {
            var session = new Session(connection);
            var owner = await AttachAsync(session, "rules/ConsumerGroups/cg1/Partitions/1", epoch: 5);
            var ownerClosed = ClosedError(owner.Link);

            var lower = await AttachAsync(session, "rules/ConsumerGroups/cg1/Partitions/1", epoch: 4);
            var lowerError = await ClosedError(lower.Link).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            Assert.Null(lower.Attach.Source);
            Assert.Equal("amqp:link:stolen", (string)lowerError!.Condition);

            var none = await AttachAsync(session, "rules/ConsumerGroups/cg1/Partitions/1", epoch: null);
            var noneError = await ClosedError(none.Link).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            Assert.Equal("amqp:link:stolen", (string)noneError!.Condition);

            Assert.False(ownerClosed.IsCompleted);
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    [Fact]
    public async Task A_sixth_receiver_without_an_epoch_on_one_partition_and_group_is_refused()
    {
        var connection = await AmqpTestClient.ConnectAsync(fixture.Emulator.Port);
        try
        {
            var session = new Session(connection);
            for (var i = 0; i < 5; i++)
            {
                var attached = await AttachAsync(session, "rules/ConsumerGroups/cg2/Partitions/2", epoch: null);
                Assert.NotNull(attached.Attach.Source);
            }

            var sixth = await AttachAsync(session, "rules/ConsumerGroups/cg2/Partitions/2", epoch: null);
            var error = await ClosedError(sixth.Link).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            Assert.Equal("amqp:resource-limit-exceeded", (string)error!.Condition);
            Assert.Contains("which is 5", error.Description, StringComparison.Ordinal);

            var otherPartition = await AttachAsync(session, "rules/ConsumerGroups/cg2/Partitions/3", epoch: null);
            Assert.NotNull(otherPartition.Attach.Source);
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    [Fact]
    public async Task A_missing_consumer_group_or_partition_is_refused_with_the_condition_the_sdks_map()
    {
        var connection = await AmqpTestClient.ConnectAsync(fixture.Emulator.Port);
        try
        {
            var session = new Session(connection);
            var group = await AttachAsync(session, "rules/ConsumerGroups/nope/Partitions/0", epoch: null);
            var groupError = await ClosedError(group.Link).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            Assert.Equal("amqp:not-found", (string)groupError!.Condition);
            Assert.Matches("The messaging entity .* could not be found", groupError.Description);

            var partition = await AttachAsync(session, "rules/ConsumerGroups/$Default/Partitions/9", epoch: null);
            var partitionError = await ClosedError(partition.Link).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            Assert.Equal("com.microsoft:argument-out-of-range", (string)partitionError!.Condition);
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    private static async Task<(ReceiverLink Link, Attach Attach)> AttachAsync(Session session, string address, long? epoch)
    {
        var attached = new TaskCompletionSource<Attach>(TaskCreationOptions.RunContinuationsAsynchronously);
        var link = AmqpTestClient.Receiver(session, address, epoch: epoch, onAttached: (_, attach) => attached.TrySetResult(attach));
        var attach = await attached.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        return (link, attach);
    }

    private static Task<Error?> ClosedError(ReceiverLink link)
    {
        var closed = new TaskCompletionSource<Error?>(TaskCreationOptions.RunContinuationsAsynchronously);
        link.Closed += (_, error) => closed.TrySetResult(error);
        if (link.IsClosed)
        {
            closed.TrySetResult(link.Error);
        }

        return closed.Task;
    }
}
