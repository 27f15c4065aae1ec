using System.Globalization;
using Amqp;
using Amqp.Framing;
using Amqp.Sasl;
using Amqp.Types;
using SafetySurveillance.EventHubs.Authorization;

namespace SafetySurveillance.EventHubs.Amqp;

/// <summary>
/// Owns one AMQP connection to a namespace: opens it on demand, re-opens it after it fails, authorises every
/// link through <c>$cbs</c> before attaching it and keeps each link's token fresh until the link closes.
/// Each link gets its own session, so one failing link cannot take its neighbours down. Thread-safe.
/// </summary>
internal sealed class AmqpConnectionScope : IAsyncDisposable
{
    /// <summary>The transfer format of an Event Hubs batch: data sections that each hold an encoded message.</summary>
    public const uint BatchFormat = 0x80013700;

    private static readonly Symbol EntityTypeProperty = new("com.microsoft:entity-type");
    private static readonly Symbol TimeoutProperty = new("com.microsoft:timeout");

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly CancellationTokenSource disposed = new();
    private readonly CbsTokenProvider tokenProvider;
    private readonly TimeProvider timeProvider;
    private ActiveConnection? active;

    public AmqpConnectionScope(
        Uri endpoint,
        string eventHubName,
        bool useDevelopmentEmulator,
        CbsTokenProvider tokenProvider,
        EventHubConnectionOptions options,
        TimeProvider timeProvider)
    {
        Endpoint = endpoint;
        EventHubName = eventHubName;
        UseDevelopmentEmulator = useDevelopmentEmulator;
        this.tokenProvider = tokenProvider;
        this.timeProvider = timeProvider;
        Options = options;
        var port = endpoint.IsDefaultPort || endpoint.Port <= 0
            ? (useDevelopmentEmulator ? EventHubsConnectionStringProperties.AmqpPort : EventHubsConnectionStringProperties.AmqpsPort)
            : endpoint.Port;
        var connectTo = options.CustomEndpointAddress ?? endpoint;
        Address = new Address(connectTo.Host, connectTo.IsDefaultPort || connectTo.Port <= 0 ? port : connectTo.Port, null, null, "/", useDevelopmentEmulator ? "amqp" : "amqps");
        AudienceBase = $"sb://{endpoint.Authority}/";
    }

    public Uri Endpoint { get; }

    public string FullyQualifiedNamespace => Endpoint.Host;

    public string EventHubName { get; }

    public bool UseDevelopmentEmulator { get; }

    public EventHubConnectionOptions Options { get; }

    public Address Address { get; }

    /// <summary>The resource prefix of token audiences, <c>sb://host[:port]/</c>, as the official JS SDK sends it.</summary>
    public string AudienceBase { get; }

    public bool IsClosed => disposed.IsCancellationRequested;

    public TimeProvider TimeProvider => timeProvider;

    public string Audience(string entityPath) => AudienceBase + entityPath;

    /// <summary>Opens an authorised sender link to <paramref name="entityPath"/>; the link's max-message-size comes back with it.</summary>
    public async Task<AmqpSender> OpenSenderAsync(string entityPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var connection = await GetConnectionAsync(timeout, cancellationToken).ConfigureAwait(false);
        var token = await AuthorizeAsync(connection, Audience(entityPath), timeout, cancellationToken).ConfigureAwait(false);
        var session = new Session(connection.Connection);
        var attacher = new AmqpLinkAttacher();
        var link = new SenderLink(
            session,
            $"{entityPath};{Guid.NewGuid():N}",
            new Attach
            {
                Source = new Source { Address = Guid.NewGuid().ToString() },
                Target = new Target { Address = entityPath },
                SndSettleMode = SenderSettleMode.Unsettled,
                RcvSettleMode = ReceiverSettleMode.First,
                Properties = new Fields
                {
                    [TimeoutProperty] = (uint)timeout.TotalMilliseconds,
                    [EntityTypeProperty] = entityPath.Contains("/Partitions/", StringComparison.OrdinalIgnoreCase) ? 9 : 7,
                },
            },
            attacher.OnAttached);
        try
        {
            var remote = await attacher.WaitAsync(link, EventHubName, $"open sender {entityPath}", timeout, cancellationToken).ConfigureAwait(false);
            var maximum = remote.MaxMessageSize is > 0 and < long.MaxValue ? (long)remote.MaxMessageSize : DefaultMaximumMessageSize;
            KeepAuthorized(connection, link, Audience(entityPath), token);
            return new AmqpSender(session, link, maximum);
        }
        catch
        {
            session.Close(TimeSpan.Zero);
            throw;
        }
    }

    /// <summary>Opens an authorised receiver link described by <paramref name="attach"/>; messages arrive in <paramref name="onMessage"/>.</summary>
    public async Task<ReceiverLink> OpenReceiverAsync(string entityPath, Attach attach, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var connection = await GetConnectionAsync(timeout, cancellationToken).ConfigureAwait(false);
        var token = await AuthorizeAsync(connection, Audience(entityPath), timeout, cancellationToken).ConfigureAwait(false);
        var session = new Session(connection.Connection);
        var attacher = new AmqpLinkAttacher();
        var link = new ReceiverLink(session, $"{entityPath}-{Guid.NewGuid():N}", attach, attacher.OnAttached);
        link.AddClosedCallback((_, _) => session.Close(TimeSpan.Zero));
        await attacher.WaitAsync(link, EventHubName, $"open receiver {entityPath}", timeout, cancellationToken).ConfigureAwait(false);
        KeepAuthorized(connection, link, Audience(entityPath), token);
        return link;
    }

    /// <summary>Sends a READ to <c>$management</c> and returns the response body map.</summary>
    public async Task<Map> ReadManagementAsync(string type, string? partitionId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var connection = await GetConnectionAsync(timeout, cancellationToken).ConfigureAwait(false);
        // As the JS SDK: the link is authorised for <hub>/$management, the request carries a token for the hub itself.
        await AuthorizeAsync(connection, Audience(EventHubName + "/$management"), timeout, cancellationToken).ConfigureAwait(false);
        var token = await tokenProvider.GetTokenAsync(Audience(EventHubName), cancellationToken).ConfigureAwait(false);
        var management = await connection.GetManagementAsync(timeout, cancellationToken).ConfigureAwait(false);
        var request = new Message(Array.Empty<byte>())
        {
            ApplicationProperties = new ApplicationProperties(),
        };
        request.ApplicationProperties["operation"] = "READ";
        request.ApplicationProperties["name"] = EventHubName;
        request.ApplicationProperties["type"] = type;
        request.ApplicationProperties["security_token"] = token.Token;
        if (partitionId is not null)
        {
            request.ApplicationProperties["partition"] = partitionId;
        }

        var response = await management.RequestAsync(request, timeout, cancellationToken).ConfigureAwait(false);
        var status = ReadStatus(response);
        if (status.Code is < 200 or > 299)
        {
            throw AmqpErrors.FromStatus(status.Code, status.Condition, status.Description, EventHubName, $"read {type}");
        }

        return response.Body as Map ?? throw new EventHubsException(false, EventHubName, $"read {type}: the response body is not a map.");
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed.IsCancellationRequested)
        {
            return;
        }

        await disposed.CancelAsync().ConfigureAwait(false);
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (active is not null)
            {
                await AmqpClose.QuietlyAsync(active.Connection).ConfigureAwait(false);
                active = null;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    internal const long DefaultMaximumMessageSize = 1024 * 1024;

    private static (int Code, string? Condition, string? Description) ReadStatus(Message response)
    {
        var properties = response.ApplicationProperties;
        var code = properties?["status-code"] switch
        {
            int i => i,
            long l => (int)l,
            short s => s,
            string text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => 500,
        };
        return (code, properties?["error-condition"]?.ToString(), properties?["status-description"]?.ToString());
    }

    private async Task<ActiveConnection> GetConnectionAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        var current = active;
        if (current is not null && !current.Connection.IsClosed)
        {
            return current;
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosed();
            if (active is not null && !active.Connection.IsClosed)
            {
                return active;
            }

            var factory = new ConnectionFactory();
            factory.SASL.Profile = SaslProfile.Anonymous;
            factory.AMQP.HostName = FullyQualifiedNamespace;
            factory.AMQP.ContainerId = $"safetysurveillance-{Guid.NewGuid():N}";
            factory.AMQP.MaxFrameSize = 256 * 1024;
            factory.AMQP.MaxSessionsPerConnection = 1024;
            factory.AMQP.IdleTimeout = (int)Options.ConnectionIdleTimeout.TotalMilliseconds;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposed.Token);
            linked.CancelAfter(timeout);
            Connection connection;
            try
            {
                connection = await factory.CreateAsync(Address, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !disposed.IsCancellationRequested)
            {
                throw new EventHubsException(true, EventHubName, $"connect to {Address.Host}:{Address.Port} timed out.", EventHubsException.FailureReason.ServiceTimeout);
            }

            active = new ActiveConnection(connection);
            return active;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<CbsToken> AuthorizeAsync(ActiveConnection connection, string audience, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var token = await tokenProvider.GetTokenAsync(audience, cancellationToken).ConfigureAwait(false);
        var cbs = await connection.GetCbsAsync(timeout, cancellationToken).ConfigureAwait(false);
        var request = new Message(token.Token) { ApplicationProperties = new ApplicationProperties() };
        request.ApplicationProperties["operation"] = "put-token";
        request.ApplicationProperties["type"] = token.TokenType;
        request.ApplicationProperties["name"] = audience;
        request.ApplicationProperties["expiration"] = token.ExpiresOn.UtcDateTime;
        request.Properties = new Properties { To = "$cbs" };
        var response = await cbs.RequestAsync(request, timeout, cancellationToken).ConfigureAwait(false);
        var status = ReadStatus(response);
        if (status.Code is < 200 or > 299)
        {
            throw AmqpErrors.FromStatus(status.Code, status.Condition, status.Description, EventHubName, $"authorize {audience}");
        }

        return token;
    }

    /// <summary>Renews the link's token shortly before it expires, for as long as the link is open.</summary>
    private void KeepAuthorized(ActiveConnection connection, Link link, string audience, CbsToken token)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(disposed.Token);
        link.AddClosedCallback((_, _) => stop.Cancel());
        _ = RefreshLoopAsync(connection, audience, token, stop);
    }

    private async Task RefreshLoopAsync(ActiveConnection connection, string audience, CbsToken token, CancellationTokenSource stop)
    {
        using (stop)
        {
            var current = token;
            var failures = 0;
            while (!stop.IsCancellationRequested)
            {
                var delay = RefreshDelay(current.ExpiresOn, failures);
                try
                {
                    await Task.Delay(delay, timeProvider, stop.Token).ConfigureAwait(false);
                    current = await AuthorizeAsync(connection, audience, Options.OperationTimeout, stop.Token).ConfigureAwait(false);
                    failures = 0;
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception) when (connection.Connection.IsClosed)
                {
                    return;
                }
                catch (Exception)
                {
                    // The old token is still valid for a while; try again soon. If it lapses, the service
                    // detaches the link and its owner reopens it with a fresh token.
                    failures++;
                }
            }
        }
    }

    private void ThrowIfClosed()
    {
        if (disposed.IsCancellationRequested)
        {
            throw new EventHubsException(false, EventHubName, "The connection has been closed.", EventHubsException.FailureReason.ClientClosed);
        }
    }

    internal TimeSpan RefreshDelay(DateTimeOffset expiresOn, int failures)
    {
        if (failures > 0)
        {
            return TimeSpan.FromSeconds(Math.Min(30, 2 * failures));
        }

        var remaining = expiresOn - timeProvider.GetUtcNow();
        var refreshAt = remaining - TimeSpan.FromMinutes(5);
        var half = remaining / 2;
        var delay = refreshAt > half ? refreshAt : half;
        return delay < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : delay;
    }

    /// <summary>An open connection with its lazily opened <c>$cbs</c> and <c>$management</c> links.</summary>
    private sealed class ActiveConnection(Connection connection)
    {
        private readonly SemaphoreSlim linkGate = new(1, 1);
        private AmqpRequestResponseLink? cbs;
        private AmqpRequestResponseLink? management;

        public Connection Connection { get; } = connection;

        public Task<AmqpRequestResponseLink> GetCbsAsync(TimeSpan timeout, CancellationToken cancellationToken)
            => GetAsync("$cbs", () => cbs, link => cbs = link, timeout, cancellationToken);

        public Task<AmqpRequestResponseLink> GetManagementAsync(TimeSpan timeout, CancellationToken cancellationToken)
            => GetAsync("$management", () => management, link => management = link, timeout, cancellationToken);

        private async Task<AmqpRequestResponseLink> GetAsync(
            string node,
            Func<AmqpRequestResponseLink?> read,
            Action<AmqpRequestResponseLink> write,
            TimeSpan timeout,
            CancellationToken cancellationToken)
        {
            var existing = read();
            if (existing is not null && !existing.IsClosed)
            {
                return existing;
            }

            await linkGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                existing = read();
                if (existing is not null && !existing.IsClosed)
                {
                    return existing;
                }

                var opened = await AmqpRequestResponseLink.OpenAsync(Connection, node, timeout, cancellationToken).ConfigureAwait(false);
                write(opened);
                return opened;
            }
            finally
            {
                linkGate.Release();
            }
        }
    }
}
