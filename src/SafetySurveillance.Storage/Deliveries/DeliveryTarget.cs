using System.Security.Cryptography;
using System.Text;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Storage.Deliveries;

/// <summary>How an alert reaches a recipient.</summary>
public enum DeliveryChannel
{
    /// <summary>An e-mail over SMTP to one address.</summary>
    Email = 1,

    /// <summary>A signed HTTP POST to one URL.</summary>
    Webhook = 2,
}

/// <summary>
/// One recipient on one channel: an e-mail address or a webhook URL. Two targets are the same when channel and
/// <see cref="Key"/> are (e-mail addresses compare without case; URLs exactly).
/// </summary>
public sealed record DeliveryTarget
{
    private const int MaxReadableKeyLength = 256;

    private DeliveryTarget(DeliveryChannel channel, string key, string display, Uri? url)
    {
        Channel = channel;
        Key = key;
        Display = display;
        Url = url;
    }

    /// <summary>The channel.</summary>
    public DeliveryChannel Channel { get; }

    /// <summary>The recipient's part of the row key: a table-key-safe lower-case address, or a hash of the URL.</summary>
    public string Key { get; }

    /// <summary>
    /// What the delivery row shows as the recipient: the address, or only the webhook's scheme, host and port (a webhook
    /// URL may carry a secret token in its path or query, which must not be copied into another table).
    /// </summary>
    public string Display { get; }

    /// <summary>The e-mail address (for <see cref="DeliveryChannel.Email"/>).</summary>
    public string? Address => Channel == DeliveryChannel.Email ? Display : null;

    /// <summary>The webhook URL (for <see cref="DeliveryChannel.Webhook"/>); never stored.</summary>
    public Uri? Url { get; }

    /// <summary>An e-mail recipient.</summary>
    public static DeliveryTarget Email(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var trimmed = address.Trim();
        var readable = TableKeyEncoding.Encode(trimmed.ToLowerInvariant());
        var key = readable.Length <= MaxReadableKeyLength ? readable : Hash(trimmed.ToLowerInvariant());
        return new DeliveryTarget(DeliveryChannel.Email, key, trimmed, null);
    }

    /// <summary>A webhook recipient.</summary>
    public static DeliveryTarget Webhook(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            throw new ArgumentException("A webhook URL must be absolute.", nameof(url));
        }

        return new DeliveryTarget(DeliveryChannel.Webhook, Hash(url.AbsoluteUri), url.GetLeftPart(UriPartial.Authority), url);
    }

    /// <summary>The channel's name in keys and rows: <c>email</c> or <c>webhook</c>.</summary>
    public static string ChannelName(DeliveryChannel channel) => channel switch
    {
        DeliveryChannel.Email => "email",
        DeliveryChannel.Webhook => "webhook",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown delivery channel."),
    };

    /// <inheritdoc />
    public bool Equals(DeliveryTarget? other) =>
        other is not null && Channel == other.Channel && string.Equals(Key, other.Key, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Channel, Key);

    /// <inheritdoc />
    public override string ToString() => $"{ChannelName(Channel)}:{Display}";

    private static string Hash(string value) =>
        "sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 16));
}
