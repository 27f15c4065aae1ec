using System.Globalization;
using System.Net;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using SafetySurveillance.Functions.Configuration;

namespace SafetySurveillance.Functions.DispatchGovernanceAlerts;

/// <summary>
/// Sends alert e-mail through the relay in <c>Smtp</c> with MailKit: one message per recipient (so each has its own
/// Message-Id and outcome, and no recipient sees another's address), plain text and HTML alternatives.
/// </summary>
/// <remarks>
/// Transport security: to a loopback host (<c>localhost</c>, 127.0.0.0/8, ::1) plain SMTP, since the local relay
/// (maildev) offers no TLS and the traffic never leaves the machine; to port 465 implicit TLS; to any other host
/// STARTTLS is <em>required</em>, and a relay that does not offer it fails the delivery instead of receiving the
/// alert (and the relay password) in clear text. A relay on another host without TLS is therefore not supported.
/// </remarks>
public sealed class AlertMailer
{
    /// <summary>The SMTP command and connect timeout.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly SmtpOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertMailer> _logger;

    /// <summary>Creates the mailer.</summary>
    public AlertMailer(IOptions<SmtpOptions> options, TimeProvider time, ILogger<AlertMailer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The sender address.</summary>
    public string From => _options.From;

    /// <summary>The transport security used for a relay (see the remarks on <see cref="AlertMailer"/>).</summary>
    public static SecureSocketOptions SecurityFor(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (IsLoopback(host))
        {
            return SecureSocketOptions.None;
        }

        return port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
    }

    /// <summary>Whether <paramref name="host"/> names this machine (<c>localhost</c> or a loopback address).</summary>
    public static bool IsLoopback(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var trimmed = host.Trim().TrimStart('[').TrimEnd(']');
        return string.Equals(trimmed, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(trimmed, out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>Opens a session that connects on its first send and is reused for the dispatch's other recipients.</summary>
    public AlertMailSession OpenSession() => new(_options, _time, _logger);

    /// <summary>Builds the message one recipient receives.</summary>
    public static MimeMessage Compose(AlertContent content, string recipient, string from, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(content);
        var message = new MimeMessage
        {
            Subject = content.Subject,
            MessageId = content.MessageIdFor(recipient, from),
            Date = now,
        };
        message.From.Add(new MailboxAddress("Safety surveillance", from));
        message.To.Add(MailboxAddress.Parse(recipient));
        // RFC 3834: tells auto-responders (out-of-office) not to answer.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("X-Safety-Alert-Id", content.Notification.AlertId);
        message.Headers.Add("X-Safety-Alert-Send", content.Notification.Send.ToString(CultureInfo.InvariantCulture));
        message.Body = new BodyBuilder { TextBody = content.Text, HtmlBody = content.Html }.ToMessageBody();
        return message;
    }
}

/// <summary>One dispatch's SMTP connection: connects (and authenticates) on the first send; a connection failure is
/// remembered, so the remaining recipients fail at once with the same reason instead of each waiting for a timeout.</summary>
public sealed partial class AlertMailSession : IAsyncDisposable
{
    private readonly SmtpOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private SmtpClient? _client;
    private string? _connectFailure;

    internal AlertMailSession(SmtpOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Sends the alert to one recipient.</summary>
    public async Task<ChannelResult> SendAsync(AlertContent content, string recipient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        var messageId = content.MessageIdFor(recipient, _options.From);
        if (_connectFailure is not null)
        {
            return new ChannelResult(false, 0, _connectFailure + " (relay unreachable in this dispatch; not retried)", messageId);
        }

        MimeMessage message;
        try
        {
            message = AlertMailer.Compose(content, recipient, _options.From, _time.GetUtcNow());
        }
        catch (ParseException)
        {
            return new ChannelResult(false, 0, "not a valid e-mail address", messageId);
        }

        using (message)
        {
            var client = await ConnectedClientAsync(cancellationToken).ConfigureAwait(false);
            if (client is null)
            {
                return new ChannelResult(false, 1, _connectFailure, messageId);
            }

            try
            {
                await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
                return new ChannelResult(true, 1, null, messageId);
            }
            catch (SmtpCommandException ex)
            {
                // The relay refused this message or recipient; the connection stays usable for the others.
                return new ChannelResult(false, 1, string.Create(CultureInfo.InvariantCulture, $"SMTP {(int)ex.StatusCode} {ex.ErrorCode}: {ex.Message}"), messageId);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Protocol error, dropped connection or timeout: start a new connection for the next recipient.
                await DropClientAsync().ConfigureAwait(false);
                return new ChannelResult(false, 1, "SMTP send failed: " + Describe(ex), messageId);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await DropClientAsync(quit: true).ConfigureAwait(false);

    private async Task<SmtpClient?> ConnectedClientAsync(CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true })
        {
            return _client;
        }

        await DropClientAsync().ConfigureAwait(false);
        var client = new SmtpClient { Timeout = (int)AlertMailer.Timeout.TotalMilliseconds };
        try
        {
            var security = AlertMailer.SecurityFor(_options.Host, _options.Port);
            await client.ConnectAsync(_options.Host, _options.Port, security, cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(_options.UserName))
            {
                await client.AuthenticateAsync(_options.UserName, _options.Password ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }

            _client = client;
            return client;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            _connectFailure = string.Create(CultureInfo.InvariantCulture, $"SMTP relay {_options.Host}:{_options.Port}: {Describe(ex)}");
            LogRelayUnreachable(_logger, _options.Host, _options.Port, Describe(ex));
            return null;
        }
    }

    private async Task DropClientAsync(bool quit = false)
    {
        if (_client is null)
        {
            return;
        }

        var client = _client;
        _client = null;
        try
        {
            if (quit && client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(quit: true, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or ProtocolException or OperationCanceledException or System.Net.Sockets.SocketException or CommandException)
        {
            // Saying goodbye to a relay that has gone away is not worth a failure.
        }
        finally
        {
            client.Dispose();
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        SmtpCommandException command => string.Create(CultureInfo.InvariantCulture, $"{(int)command.StatusCode} {command.ErrorCode}: {command.Message}"),
        System.Net.Sockets.SocketException socket => "connection failed: " + socket.SocketErrorCode,
        AuthenticationException => "authentication failed",
        NotSupportedException notSupported => notSupported.Message,
        _ => ex.GetType().Name + ": " + ex.Message,
    };

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "SMTP relay {Host}:{Port} could not be used: {Reason}")]
    private static partial void LogRelayUnreachable(ILogger logger, string host, int port, string reason);
}
