using System.Text;

namespace SafetySurveillance.Domain.Signals;

/// <summary>
/// Reversible encoding of free text (procedure codes, ODS codes, UDI-DIs) into Azure Table key components.
/// </summary>
/// <remarks>
/// <para>
/// Azure Table Storage forbids <c>/</c>, <c>\</c>, <c>#</c>, <c>?</c> and the control characters U+0000–U+001F
/// and U+007F–U+009F in PartitionKey and RowKey. Our keys also use <c>|</c> (between procedure and period) and
/// <c>:</c> (between scope kind and value) as separators, and single quotes must be doubled in OData filters.
/// </para>
/// <para>
/// The encoding is percent-encoding of the UTF-8 bytes (upper-case hex, <c>%2F</c> for <c>/</c>) for every
/// character outside printable ASCII (U+0020–U+007E) and for the characters <c>/ \ # ? % | : '</c>. Every
/// other character is kept. The output is therefore plain printable ASCII with no forbidden character, no
/// separator and no quote, and <see cref="Decode"/> inverts it exactly. Encoded text is usually identical
/// to the input (ODS codes and GS1 UDI-DIs are alphanumeric), so keys stay readable in Storage Explorer.
/// HIBCC UDI-DIs may contain <c>/</c>, which becomes <c>%2F</c>. Only the canonical encoding decodes, so
/// each value has exactly one key. An unpaired UTF-16 surrogate (not valid text, and rejected at validation)
/// is encoded as U+FFFD and so does not round-trip.
/// </para>
/// </remarks>
public static class TableKeyEncoding
{
    /// <summary>Encodes <paramref name="value"/> so that it is safe inside a table key component.</summary>
    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!NeedsEncoding(value))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (IsKept(c))
            {
                builder.Append(c);
                continue;
            }

            int length;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                length = new Rune(c, value[i + 1]).EncodeToUtf8(utf8);
                i++;
            }
            else
            {
                Rune rune = Rune.IsValid(c) ? new Rune(c) : Rune.ReplacementChar;
                length = rune.EncodeToUtf8(utf8);
            }

            for (int b = 0; b < length; b++)
            {
                builder.Append('%').Append(HexDigit(utf8[b] >> 4)).Append(HexDigit(utf8[b] & 0xF));
            }
        }

        return builder.ToString();
    }

    /// <summary>Inverts <see cref="Encode"/>; returns false for text that <see cref="Encode"/> cannot have produced.</summary>
    public static bool TryDecode(string encoded, out string value)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        value = string.Empty;
        if (encoded.IndexOf('%', StringComparison.Ordinal) < 0)
        {
            foreach (char c in encoded)
            {
                if (!IsKept(c))
                {
                    return false;
                }
            }

            value = encoded;
            return true;
        }

        byte[] bytes = new byte[encoded.Length];
        int count = 0;
        for (int i = 0; i < encoded.Length; i++)
        {
            char c = encoded[i];
            if (c == '%')
            {
                if (i + 2 >= encoded.Length || !TryHex(encoded[i + 1], out int high) || !TryHex(encoded[i + 2], out int low))
                {
                    return false;
                }

                bytes[count++] = (byte)((high << 4) | low);
                i += 2;
            }
            else if (IsKept(c))
            {
                bytes[count++] = (byte)c;
            }
            else
            {
                return false;
            }
        }

        try
        {
            value = new UTF8Encoding(false, true).GetString(bytes, 0, count);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        // Only the canonical form is accepted ("%41" for "A" is not), so keys and values stay one-to-one.
        return string.Equals(Encode(value), encoded, StringComparison.Ordinal);
    }

    /// <summary>Inverts <see cref="Encode"/>.</summary>
    /// <exception cref="FormatException">The text is not a valid encoding.</exception>
    public static string Decode(string encoded)
        => TryDecode(encoded, out string value) ? value : throw new FormatException("The text is not a valid table-key encoding.");

    /// <summary>Whether a finished key contains only characters Azure Tables accepts (a check for adapters).</summary>
    public static bool IsValidTableKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length > MaxKeyLength)
        {
            return false;
        }

        foreach (char c in key)
        {
            if (c is '/' or '\\' or '#' or '?' || c < 0x20 || (c >= 0x7F && c <= 0x9F))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The longest key this library builds: 512 characters. Azure documents keys of up to 1 KiB; 512 ASCII
    /// characters fit whether that is counted in UTF-8 or UTF-16.
    /// </summary>
    public const int MaxKeyLength = 512;

    internal static bool IsKept(char c)
        => c >= 0x20 && c <= 0x7E && c is not ('/' or '\\' or '#' or '?' or '%' or '|' or ':' or '\'');

    private static bool NeedsEncoding(string value)
    {
        foreach (char c in value)
        {
            if (!IsKept(c))
            {
                return true;
            }
        }

        return false;
    }

    private static char HexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);

    private static bool TryHex(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
