using System.Globalization;
using SafetySurveillance.Domain.Validation;

namespace SafetySurveillance.Domain.Events.CloudEvents;

/// <summary>
/// Reads the CloudEvents AMQP protocol binding in binary mode: each attribute is an application property
/// named <c>cloudEvents_{name}</c> or <c>cloudEvents:{name}</c> (both accepted, one message must use one
/// separator), <c>datacontenttype</c> comes from the AMQP <c>content-type</c>, and the body is the data.
/// Other application properties are not CloudEvents attributes and are ignored.
/// </summary>
internal static class AmqpBinaryEnvelope
{
    public const string UnderscorePrefix = "cloudEvents_";
    public const string ColonPrefix = "cloudEvents:";

    /// <summary>True when any application property carries a CloudEvents attribute.</summary>
    public static bool HasAttributes(IReadOnlyDictionary<string, object?> properties)
    {
        foreach (var key in properties.Keys)
        {
            if (key is not null && key.StartsWith("cloudEvents", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public static RawAttributes Read(AmqpCloudEventMessage message, ReadContext context)
    {
        var raw = new RawAttributes();
        var usesUnderscore = false;
        var usesColon = false;
        string? propertyContentType = null;

        foreach (var (key, value) in message.ApplicationProperties)
        {
            if (key is null)
            {
                continue;
            }

            string name;
            if (key.StartsWith(UnderscorePrefix, StringComparison.Ordinal))
            {
                usesUnderscore = true;
                name = key[UnderscorePrefix.Length..];
            }
            else if (key.StartsWith(ColonPrefix, StringComparison.Ordinal))
            {
                usesColon = true;
                name = key[ColonPrefix.Length..];
            }
            else
            {
                if (key.StartsWith("cloudEvents", StringComparison.OrdinalIgnoreCase))
                {
                    context.Add(
                        JsonPath.Property(JsonPath.Root, key),
                        "looks like a CloudEvents attribute but the prefix must be spelt exactly 'cloudEvents_' or 'cloudEvents:'");
                }

                continue;
            }

            var path = JsonPath.Property(JsonPath.Root, name);
            if (!CloudEventRules.IsValidAttributeName(name))
            {
                context.Add(JsonPath.Property(JsonPath.Root, key), "does not name a valid CloudEvents attribute (lower-case letters a–z and digits only)");
                continue;
            }

            if (name == "data")
            {
                context.Add(JsonPath.Property(JsonPath.Root, key), "'data' is not an attribute; the event data travels in the message body");
                continue;
            }

            if (value is null)
            {
                continue;
            }

            if (name == "time" && value is DateTime or DateTimeOffset)
            {
                raw.NativeTime = value switch
                {
                    DateTimeOffset offset => offset,
                    DateTime { Kind: DateTimeKind.Local } local => new DateTimeOffset(local.ToUniversalTime(), TimeSpan.Zero),
                    DateTime other => new DateTimeOffset(DateTime.SpecifyKind(other, DateTimeKind.Utc), TimeSpan.Zero),
                    _ => null,
                };
                continue;
            }

            if (!TryCanonical(value, out var text))
            {
                raw.AlreadyReported.Add(name);
                context.Add(path, $"has an AMQP value of type {value.GetType().Name}, which no CloudEvents attribute type maps to");
                continue;
            }

            if (name is "specversion" or "id" or "source" or "type" or "dataschema" or "subject" or "datacontenttype"
                && value is not string && value is not Uri)
            {
                raw.AlreadyReported.Add(name);
                context.Add(path, $"must be an AMQP string, not {value.GetType().Name}");
                continue;
            }

            var isExtension = false;
            switch (name)
            {
                case "specversion":
                    raw.SpecVersion = text;
                    break;
                case "id":
                    raw.Id = text;
                    break;
                case "source":
                    raw.Source = text;
                    break;
                case "type":
                    raw.Type = text;
                    break;
                case "dataschema":
                    raw.DataSchema = text;
                    break;
                case "subject":
                    raw.Subject = text;
                    break;
                case "time":
                    raw.Time = text;
                    break;
                case "datacontenttype":
                    propertyContentType = text;
                    break;
                default:
                    isExtension = true;
                    break;
            }

            if (isExtension)
            {
                raw.Extensions[name] = text;
            }
        }

        if (usesUnderscore && usesColon)
        {
            context.Add(JsonPath.Root, "application properties mix the 'cloudEvents_' and 'cloudEvents:' prefixes; one message must use one separator");
        }

        if (propertyContentType is not null && message.ContentType is not null
            && !string.Equals(propertyContentType, message.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            context.Add("datacontenttype", "differs from the AMQP content-type; in binary mode datacontenttype is the content-type");
        }

        raw.DataContentType = message.ContentType ?? propertyContentType;
        return raw;
    }

    private static bool TryCanonical(object value, out string text)
    {
        switch (value)
        {
            case string s:
                text = s;
                return true;
            case bool b:
                text = b ? "true" : "false";
                return true;
            case sbyte or byte or short or ushort or int:
                text = Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
                return true;
            case uint or long or ulong:
                // CloudEvents Integer is 32-bit; AMQP senders often use long for it.
                var wide = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                if (wide is >= int.MinValue and <= int.MaxValue)
                {
                    text = ((int)wide).ToString(CultureInfo.InvariantCulture);
                    return true;
                }

                text = string.Empty;
                return false;
            case Uri uri:
                text = uri.OriginalString;
                return true;
            case DateTime or DateTimeOffset:
                var instant = value switch
                {
                    DateTimeOffset o => o.ToUniversalTime(),
                    DateTime { Kind: DateTimeKind.Local } local => new DateTimeOffset(local.ToUniversalTime(), TimeSpan.Zero),
                    _ => new DateTimeOffset(DateTime.SpecifyKind((DateTime)value, DateTimeKind.Utc), TimeSpan.Zero),
                };
                text = instant.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
                return true;
            case byte[] bytes:
                text = Convert.ToBase64String(bytes);
                return true;
            default:
                text = string.Empty;
                return false;
        }
    }
}
