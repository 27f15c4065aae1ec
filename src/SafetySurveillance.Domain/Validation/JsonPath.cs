using System.Globalization;
using System.Text;

namespace SafetySurveillance.Domain.Validation;

/// <summary>
/// Builds the JSON paths used in problems: <c>data.device.udiDi</c>, <c>data.healthImpactCodes[2]</c>, and
/// <c>data['odd name']</c> for property names that are not plain identifiers (escaped and truncated so a
/// hostile name cannot flood or forge a problem message).
/// </summary>
internal static class JsonPath
{
    public const string Root = "$";

    private const int MaxEchoedNameLength = 64;

    public static string Property(string parent, string name)
    {
        if (IsPlainIdentifier(name))
        {
            return parent.Length == 0 || parent == Root ? name : parent + "." + name;
        }

        var quoted = "['" + Printable(name, MaxEchoedNameLength, '\'') + "']";
        return parent.Length == 0 ? Root + quoted : parent + quoted;
    }

    public static string Index(string parent, int index) =>
        parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    /// <summary>
    /// Makes untrusted text safe to put inside a problem message: control and non-ASCII-printable characters
    /// are written as <c>\uXXXX</c>, and long text is cut with an ellipsis.
    /// </summary>
    public static string Printable(string text, int maxLength, char quote = '"')
    {
        var builder = new StringBuilder(Math.Min(text.Length, maxLength) + 8);
        foreach (var c in text)
        {
            if (builder.Length >= maxLength)
            {
                builder.Append('…');
                break;
            }

            if (c is < ' ' or (>= '\u007f' and <= '\u009f') || char.IsSurrogate(c) || c == '\\' || c == quote)
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool IsPlainIdentifier(string name)
    {
        if (name.Length == 0 || name.Length > MaxEchoedNameLength || !char.IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
