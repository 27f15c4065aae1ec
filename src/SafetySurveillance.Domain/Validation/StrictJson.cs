using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace SafetySurveillance.Domain.Validation;

/// <summary>
/// Parses a payload as one strict RFC 8259 JSON object. Checks, in this order: size (before any parsing),
/// emptiness, an optional leading UTF-8 byte-order mark (ignored, as RFC 8259 §8.1 allows), UTF-8 validity,
/// then syntax with no comments, no trailing commas, no NaN/Infinity, no duplicate member names at any level,
/// no lone surrogate escapes, a nesting limit, and a top-level object.
/// </summary>
internal static class StrictJson
{
    /// <summary>The largest payload accepted: 256 KiB, the Event Hubs standard-tier message limit.</summary>
    public const int MaxPayloadBytes = 262_144;

    /// <summary>Nesting limit for objects and arrays; our events need four levels.</summary>
    public const int MaxDepth = 32;

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = MaxDepth,
        AllowMultipleValues = false,
    };

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = MaxDepth,
    };

    /// <summary>
    /// Returns a document whose root is an object, or <c>null</c> after adding the reasons to
    /// <paramref name="problems"/>. The caller disposes the document.
    /// </summary>
    public static JsonDocument? ParseObject(ReadOnlyMemory<byte> payload, string path, ProblemList problems)
    {
        if (payload.Length > MaxPayloadBytes)
        {
            problems.Add(path, string.Create(
                CultureInfo.InvariantCulture,
                $"payload is {payload.Length:N0} bytes; the limit is {MaxPayloadBytes:N0} bytes (256 KiB)"));
            return null;
        }

        var bytes = payload;
        if (bytes.Span.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        if (IsBlank(bytes.Span))
        {
            problems.Add(path, "payload is empty; expected a JSON object");
            return null;
        }

        if (!Utf8.IsValid(bytes.Span))
        {
            problems.Add(path, string.Create(
                CultureInfo.InvariantCulture,
                $"payload is not valid UTF-8 (first bad byte at offset {FirstInvalidUtf8Offset(bytes.Span) + (payload.Length - bytes.Length)})"));
            return null;
        }

        if (!CheckStrictSyntax(bytes.Span, path, problems))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(bytes, DocumentOptions);
        }
        catch (JsonException exception)
        {
            // Unreachable in practice: the reader above already accepted the same bytes with the same options.
            problems.Add(path, "not valid JSON: " + DescribeJsonException(exception));
            return null;
        }
    }

    private static bool CheckStrictSyntax(ReadOnlySpan<byte> bytes, string path, ProblemList problems)
    {
        var reader = new Utf8JsonReader(bytes, ReaderOptions);
        var names = new Stack<HashSet<string>>();
        var paths = new Stack<string>();
        var ok = true;
        string? lastName = null;
        var currentPath = path;
        try
        {
            if (!reader.Read())
            {
                problems.Add(path, "payload is empty; expected a JSON object");
                return false;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                problems.Add(path, $"the top-level JSON value is {Describe(reader.TokenType)}; expected an object");
                return false;
            }

            names.Push(new HashSet<string>(StringComparer.Ordinal));
            paths.Push(path);
            currentPath = path;

            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        {
                            var name = ReadString(ref reader, currentPath, null, problems, ref ok);
                            lastName = name;
                            if (name is not null && !names.Peek().Add(name))
                            {
                                if (problems.IsFull)
                                {
                                    problems.CountUnlisted();
                                }
                                else
                                {
                                    problems.Add(
                                        JsonPath.Property(currentPath, name),
                                        "appears more than once in the same object; duplicate names are ambiguous and rejected");
                                }

                                ok = false;
                            }

                            break;
                        }

                    case JsonTokenType.StartObject:
                        currentPath = ChildPath(currentPath, lastName);
                        paths.Push(currentPath);
                        names.Push(new HashSet<string>(StringComparer.Ordinal));
                        lastName = null;
                        break;

                    case JsonTokenType.EndObject:
                        names.Pop();
                        paths.Pop();
                        currentPath = paths.Count > 0 ? paths.Peek() : path;
                        lastName = null;
                        break;

                    case JsonTokenType.StartArray:
                        currentPath = ChildPath(currentPath, lastName);
                        paths.Push(currentPath);
                        names.Push(new HashSet<string>(StringComparer.Ordinal));
                        lastName = null;
                        break;

                    case JsonTokenType.EndArray:
                        names.Pop();
                        paths.Pop();
                        currentPath = paths.Count > 0 ? paths.Peek() : path;
                        lastName = null;
                        break;

                    case JsonTokenType.String:
                        _ = ReadString(ref reader, currentPath, lastName, problems, ref ok);
                        lastName = null;
                        break;

                    default:
                        lastName = null;
                        break;
                }
            }
        }
        catch (JsonException exception)
        {
            problems.Add(path, "not valid JSON (RFC 8259): " + DescribeJsonException(exception));
            return false;
        }

        return ok;
    }

    private static string ChildPath(string parent, string? name) =>
        name is null ? parent : JsonPath.Property(parent, name);

    /// <summary>Reads a string token; the problem path (parent plus member name) is built only on failure.</summary>
    private static string? ReadString(ref Utf8JsonReader reader, string parentPath, string? name, ProblemList problems, ref bool ok)
    {
        if (!reader.ValueIsEscaped)
        {
            // Already-validated UTF-8 without escapes cannot hold a lone surrogate.
            return reader.TokenType == JsonTokenType.PropertyName ? reader.GetString() : null;
        }

        string value;
        try
        {
            value = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            problems.Add(ChildPath(parentPath, name), "contains an escape sequence that is not valid UTF-16 (a lone surrogate)");
            ok = false;
            return null;
        }

        if (ContainsLoneSurrogate(value))
        {
            problems.Add(ChildPath(parentPath, name), "contains a lone surrogate escape (\\uD800–\\uDFFF not in a valid pair)");
            ok = false;
            return null;
        }

        return value;
    }

    internal static bool ContainsLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }

                return true;
            }

            if (char.IsLowSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    private static string DescribeJsonException(JsonException exception)
    {
        var message = exception.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }

        message = JsonPath.Printable(message, 160);
        return exception.LineNumber is { } line && exception.BytePositionInLine is { } position
            ? string.Create(CultureInfo.InvariantCulture, $"{message} (line {line + 1}, byte {position + 1})")
            : message;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "not an object",
    };

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }

    private static int FirstInvalidUtf8Offset(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            var status = Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return offset;
    }
}
