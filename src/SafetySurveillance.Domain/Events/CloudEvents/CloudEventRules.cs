using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using SafetySurveillance.Domain.Pseudonymisation;
using SafetySurveillance.Domain.Validation;

namespace SafetySurveillance.Domain.Events.CloudEvents;

/// <summary>
/// The CloudEvents 1.0 rules for context attributes, plus our profile (the <c>source</c> form, the <c>id</c>
/// alphabet, JSON data only), applied the same way to structured and AMQP binary events.
/// </summary>
internal static class CloudEventRules
{
    public const string SpecVersion = "1.0";

    /// <summary>Longest accepted value of any string attribute (subject, extensions, dataschema).</summary>
    public const int MaxAttributeLength = 2048;

    public const int MaxIdLength = 128;

    private static readonly ReadOnlyDictionary<string, string> NoExtensions = new(new Dictionary<string, string>());

    /// <summary>The id alphabet as a regular expression, used in the JSON Schemas.</summary>
    public const string IdPattern = "^[!\"$-.0-9:->@-\\[\\]-~]{1,128}$";

    /// <summary>Attribute names: lower-case ASCII letters and digits (CloudEvents 1.0 §"Attribute Naming Convention").</summary>
    public static bool IsValidAttributeName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// CloudEvents "String": no control characters (U+0000–U+001F, U+007F–U+009F), no surrogates outside a
    /// valid pair, no noncharacters (U+FDD0–U+FDEF and U+xFFFE/U+xFFFF in every plane).
    /// </summary>
    public static string? StringProblem(string value)
    {
        if (value.Length > MaxAttributeLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"is {value.Length} characters long; the limit is {MaxAttributeLength}");
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c))
            {
                return "contains a control character, which CloudEvents strings must not";
            }

            if (char.IsSurrogate(c))
            {
                if (!Rune.TryGetRuneAt(value, i, out var rune))
                {
                    return "contains a lone surrogate, which CloudEvents strings must not";
                }

                if ((rune.Value & 0xFFFE) == 0xFFFE)
                {
                    return "contains a Unicode noncharacter, which CloudEvents strings must not";
                }

                i++;
                continue;
            }

            if (c is (>= '\uFDD0' and <= '\uFDEF') or '\uFFFE' or '\uFFFF')
            {
                return "contains a Unicode noncharacter, which CloudEvents strings must not";
            }
        }

        return null;
    }

    /// <summary>Judges every attribute; returns the attributes when all are acceptable.</summary>
    public static CloudEventAttributes? Validate(RawAttributes raw, CloudEventMode mode, ReadContext context, out SafetyEventType? eventType)
    {
        var problems = context.Problems;
        var before = problems.Count;
        eventType = null;

        // specversion
        if (raw.SpecVersion is null)
        {
            Missing(raw, "specversion", "is required and must be '1.0'", context);
        }
        else if (raw.SpecVersion != SpecVersion)
        {
            context.Add("specversion", $"{Echo.Quoted(raw.SpecVersion)} is not supported; only CloudEvents '1.0' is");
        }

        // id
        if (raw.Id is null)
        {
            Missing(raw, "id", "is required (a non-empty string, unique per source)", context);
        }
        else if (raw.Id.Length == 0)
        {
            context.Add("id", "must not be empty");
        }
        else if (!IsValidId(raw.Id))
        {
            context.Add("id", string.Create(CultureInfo.InvariantCulture, $"must be 1–{MaxIdLength} printable ASCII characters without spaces, '/', '\\', '#' or '?'"));
        }

        // source
        var odsCode = string.Empty;
        if (raw.Source is null)
        {
            Missing(raw, "source", "is required and must be '/trusts/{ODS code}'", context);
        }
        else if (StringProblem(raw.Source) is { } sourceProblem)
        {
            context.Add("source", sourceProblem);
        }
        else if (!OdsCode.TryParseSource(raw.Source, out odsCode, out var sourceReason))
        {
            context.Add("source", sourceReason!);
        }

        // type
        if (raw.Type is null)
        {
            Missing(raw, "type", "is required", context);
        }
        else if (raw.Type.Length == 0)
        {
            context.Add("type", "must not be empty");
        }
        else if (SafetyEventTypes.TryParse(raw.Type, out var parsedType, out var typeReason))
        {
            eventType = parsedType;
        }
        else
        {
            context.Add("type", typeReason!);
        }

        // datacontenttype
        string? dataContentType = null;
        if (raw.DataContentType is not null)
        {
            if (!MediaType.TryParse(raw.DataContentType, out var essence, out var charset))
            {
                context.Add("datacontenttype", $"{Echo.Quoted(raw.DataContentType)} is not a media type (RFC 2046)");
            }
            else if (!MediaType.IsJson(essence, charset))
            {
                context.Add("datacontenttype", $"{Echo.Quoted(raw.DataContentType)} is not accepted; data must be 'application/json' (UTF-8)");
            }
            else
            {
                dataContentType = raw.DataContentType;
            }
        }

        // dataschema
        Uri? dataSchema = null;
        if (raw.DataSchema is not null)
        {
            if (raw.DataSchema.Length == 0)
            {
                context.Add("dataschema", "must not be empty when present");
            }
            else if (StringProblem(raw.DataSchema) is { } schemaProblem)
            {
                context.Add("dataschema", schemaProblem);
            }
            else if (!HasScheme(raw.DataSchema) || raw.DataSchema.Any(char.IsWhiteSpace)
                || !Uri.TryCreate(raw.DataSchema, UriKind.Absolute, out dataSchema))
            {
                dataSchema = null;
                context.Add("dataschema", $"{Echo.Quoted(raw.DataSchema)} is not an absolute URI (RFC 3986)");
            }
        }

        // subject
        if (raw.Subject is not null)
        {
            if (raw.Subject.Length == 0)
            {
                context.Add("subject", "must not be empty when present");
            }
            else if (StringProblem(raw.Subject) is { } subjectProblem)
            {
                context.Add("subject", subjectProblem);
            }
            else if (NhsNumber.LooksLikeOneInside(raw.Subject))
            {
                context.Add("subject", NhsNumber.NotHereReason);
            }
        }

        // time
        DateTimeOffset? time = raw.NativeTime;
        if (raw.Time is not null)
        {
            if (Rfc3339.TryParseDateTime(raw.Time, out var parsedTime))
            {
                time = parsedTime;
            }
            else
            {
                context.Add("time", $"{Echo.Quoted(raw.Time)} is not an RFC 3339 timestamp such as '2025-03-01T09:30:00Z'");
            }
        }

        if (time is { } t && t > context.Now + ReadContext.ClockSkew)
        {
            context.Add("time", string.Create(
                CultureInfo.InvariantCulture,
                $"{t.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} is in the future (now is {context.Now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}; up to {ReadContext.ClockSkew.TotalMinutes:0} minutes of clock skew are allowed)"));
        }

        // extensions: values already canonical strings; check content
        foreach (var (name, value) in raw.Extensions)
        {
            if (StringProblem(value) is { } extensionProblem)
            {
                context.Add(name, extensionProblem);
            }
            else if (name != "sequence" && NhsNumber.IsOneExactly(value))
            {
                // Whole values only: a substring scan would reject one trace id in a few hundred. The
                // sequence extension is exempt: zero-padded 10-digit counters are normal there.
                context.Add(name, NhsNumber.NotHereReason);
            }
        }

        if (problems.Count != before || eventType is null)
        {
            return null;
        }

        return new CloudEventAttributes(
            raw.Id!,
            raw.Source!,
            odsCode,
            raw.Type!,
            eventType.Value,
            time,
            dataContentType,
            dataSchema,
            raw.Subject,
            raw.Extensions.Count == 0 ? NoExtensions : new ReadOnlyDictionary<string, string>(raw.Extensions),
            mode);
    }

    public static bool IsValidId(string id)
    {
        if (id.Length is 0 or > MaxIdLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (c is <= ' ' or >= '\u007f' or '/' or '\\' or '#' or '?')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 3986 scheme: a letter, then letters, digits, '+', '-' or '.', then ':'.</summary>
    private static bool HasScheme(string uri)
    {
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !char.IsAsciiLetter(uri[0]))
        {
            return false;
        }

        for (var i = 1; i < colon; i++)
        {
            if (!char.IsAsciiLetterOrDigit(uri[i]) && uri[i] is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static void Missing(RawAttributes raw, string name, string reason, ReadContext context)
    {
        if (!raw.AlreadyReported.Contains(name))
        {
            context.Add(name, reason);
        }
    }
}
