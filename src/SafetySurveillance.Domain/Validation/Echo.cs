using System.Text;

namespace SafetySurveillance.Domain.Validation;

/// <summary>
/// Decides whether a rejected value may be repeated in a problem message. Problems end up in dead-letter
/// rows and logs, so a value is echoed only when it is short and cannot be a patient identifier
/// (no run of seven or more digits, even split by spaces or hyphens); otherwise the message says "the value".
/// </summary>
internal static class Echo
{
    private const int MaxEchoLength = 40;

    public static string Quoted(string value)
    {
        if (value.Length > MaxEchoLength * 4 || HasLongDigitRun(value))
        {
            return "the value";
        }

        return "'" + JsonPath.Printable(value, MaxEchoLength, '\'') + "'";
    }

    public static string Number(ReadOnlySpan<byte> rawUtf8)
    {
        if (rawUtf8.Length > 12 || HasLongDigitRun(Encoding.UTF8.GetString(rawUtf8)))
        {
            return "the value";
        }

        return Encoding.UTF8.GetString(rawUtf8);
    }

    /// <summary>Seven or more digits in a row, where single spaces or hyphens between digits do not break the row.</summary>
    public static bool HasLongDigitRun(string value)
    {
        var run = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsAsciiDigit(c))
            {
                if (++run >= 7)
                {
                    return true;
                }
            }
            else if (!(run > 0 && c is ' ' or '-' && i + 1 < value.Length && char.IsAsciiDigit(value[i + 1])))
            {
                run = 0;
            }
        }

        return false;
    }
}
