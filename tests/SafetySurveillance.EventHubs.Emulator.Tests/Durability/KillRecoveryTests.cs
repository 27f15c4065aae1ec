using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http;
using Amqp;
using SafetySurveillance.EventHubs.Emulator.Tests.Support;
using Xunit;

namespace SafetySurveillance.EventHubs.Emulator.Tests.Durability;

/// <summary>The emulator as a separate process, killed with SIGKILL while producers are sending.</summary>
public sealed class KillRecoveryTests : IDisposable
{
    private const string Partition = "eh1/Partitions/0";
    private readonly string dataDirectory = TestPaths.NewTempDirectory("emulator-kill");
    private readonly CancellationToken cancellationToken = TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(dataDirectory, recursive: true);

    [Fact]
    public async Task Every_acknowledged_event_is_back_after_kill_9_with_the_sequence_number_and_offset_a_receiver_saw()
    {
        var acknowledged = new ConcurrentDictionary<int, bool>();
        var seenLive = new ConcurrentDictionary<string, (long Sequence, string Offset)>();

        await using (var emulator = await EmulatorProcess.StartAsync(dataDirectory, cancellationToken))
        {
            var connection = await AmqpTestClient.ConnectAsync(emulator.Port);
            var session = new Session(connection);
            var receiver = AmqpTestClient.Receiver(session, "eh1/ConsumerGroups/$Default/Partitions/0");
            receiver.Start(500, (link, message) =>
            {
                seenLive[AmqpTestClient.Body(message)] = (AmqpTestClient.SequenceNumber(message), AmqpTestClient.Offset(message));
                link.Accept(message);
            });

            // Four links sending in parallel, each with up to 64 unacknowledged events in flight.
            using var stopSending = new CancellationTokenSource();
            var producers = Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
            {
                var sender = new SenderLink(session, $"producer-{p}", Partition);
                var inFlight = new List<Task>();
                for (var i = 0; !stopSending.IsCancellationRequested; i++)
                {
                    var id = (p * 1_000_000) + i;
                    inFlight.Add(Send(sender, id, acknowledged));
                    if (inFlight.Count >= 64)
                    {
                        await Task.WhenAny(inFlight);
                        inFlight.RemoveAll(t => t.IsCompleted);
                    }
                }

                await Task.WhenAll(inFlight);
            })).ToList();

            while (acknowledged.Count < 3000)
            {
                await Task.Delay(20, cancellationToken);
            }

            await emulator.KillAsync();
            stopSending.Cancel();
            await Task.WhenAll(producers);
            try
            {
                await connection.CloseAsync();
            }
            catch (AmqpException)
            {
            }
        }

        await using var restarted = await EmulatorProcess.StartAsync(dataDirectory, cancellationToken);
        var recovered = await ReadAllAsync(restarted.Port);

        Assert.True(acknowledged.Count >= 3000);
        Assert.Equal(Enumerable.Range(0, recovered.Count).Select(i => (long)i), recovered.Select(e => e.Sequence));
        Assert.Equal(recovered.Count, recovered.Select(e => e.Body).Distinct().Count());
        var byBody = recovered.ToDictionary(e => e.Body);
        Assert.All(acknowledged.Keys, id => Assert.True(byBody.ContainsKey(id.ToString(CultureInfo.InvariantCulture)), $"acknowledged event {id} was lost"));
        Assert.NotEmpty(seenLive);
        Assert.All(seenLive, live => Assert.Equal(live.Value, (byBody[live.Key].Sequence, byBody[live.Key].Offset)));
        foreach (var producer in recovered.GroupBy(e => int.Parse(e.Body, CultureInfo.InvariantCulture) / 1_000_000))
        {
            var ids = producer.Select(e => int.Parse(e.Body, CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(ids.Order(), ids);
        }

        using var http = new HttpClient();
        var health = await http.GetAsync(new Uri($"http://127.0.0.1:{restarted.HealthPort}/health"), cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("healthy", await health.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
    }

    private static async Task Send(SenderLink sender, int id, ConcurrentDictionary<int, bool> acknowledged)
    {
        try
        {
            await sender.SendAsync(AmqpTestClient.Event(id.ToString(CultureInfo.InvariantCulture)));
            acknowledged[id] = true;
        }
        catch (Exception exception) when (exception is AmqpException or ObjectDisposedException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException or IOException)
        {
            // Not acknowledged: the emulator died first. Such an event may or may not have been stored.
        }
    }

    private async Task<List<(string Body, long Sequence, string Offset)>> ReadAllAsync(int port)
    {
        var connection = await AmqpTestClient.ConnectAsync(port);
        try
        {
            var session = new Session(connection);
            var receiver = AmqpTestClient.Receiver(session, "eh1/ConsumerGroups/$Default/Partitions/0");
            var events = new List<(string, long, string)>();
            while (true)
            {
                var message = await receiver.ReceiveAsync(TimeSpan.FromSeconds(2));
                if (message is null)
                {
                    return events;
                }

                receiver.Accept(message);
                events.Add((AmqpTestClient.Body(message), AmqpTestClient.SequenceNumber(message), AmqpTestClient.Offset(message)));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            await connection.CloseAsync();
        }
    }
}
