using System.Diagnostics.CodeAnalysis;

namespace SafetySurveillance.Domain.Signals;

/// <summary>What a signal row aggregates over.</summary>
public enum SignalScopeKind
{
    /// <summary>Every trust: <c>national</c>.</summary>
    National = 0,

    /// <summary>One trust: <c>trust:{ODS code}</c>.</summary>
    Trust = 1,

    /// <summary>One device model: <c>device:{UDI-DI}</c>.</summary>
    Device = 2,
}

/// <summary>
/// The scope of a signal row: <c>national</c>, <c>trust:{ods}</c> or <c>device:{udi}</c>. The value is stored
/// as given; <see cref="ToString"/> gives the readable form and <see cref="ToKey"/> the table-safe one.
/// </summary>
public readonly record struct SignalScope
{
    private SignalScope(SignalScopeKind kind, string? value)
    {
        Kind = kind;
        Value = value;
    }

    /// <summary>National, trust or device.</summary>
    public SignalScopeKind Kind { get; }

    /// <summary>The ODS code or UDI-DI; null for national.</summary>
    public string? Value { get; }

    /// <summary>All trusts.</summary>
    public static SignalScope National => new(SignalScopeKind.National, null);

    /// <summary>One trust, by ODS code (trimmed and upper-cased, as ODS codes are case-insensitive).</summary>
    public static SignalScope Trust(string odsCode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(odsCode);
        return new SignalScope(SignalScopeKind.Trust, odsCode.Trim().ToUpperInvariant());
    }

    /// <summary>One device, by UDI-DI (kept exactly as given: UDI-DIs are case-sensitive in HIBCC).</summary>
    public static SignalScope Device(string udiDi)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(udiDi);
        return new SignalScope(SignalScopeKind.Device, udiDi);
    }

    /// <summary>The RowKey form: <c>national</c>, <c>trust:</c> or <c>device:</c> followed by the encoded value.</summary>
    public string ToKey() => Kind switch
    {
        SignalScopeKind.Trust => "trust:" + TableKeyEncoding.Encode(Value!),
        SignalScopeKind.Device => "device:" + TableKeyEncoding.Encode(Value!),
        _ => "national",
    };

    /// <summary>Parses the RowKey form written by <see cref="ToKey"/>.</summary>
    public static bool TryParseKey([NotNullWhen(true)] string? key, out SignalScope scope)
    {
        scope = default;
        if (key is null)
        {
            return false;
        }

        if (key == "national")
        {
            scope = National;
            return true;
        }

        int colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !TableKeyEncoding.TryDecode(key[(colon + 1)..], out string value) || string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        switch (key[..colon])
        {
            case "trust":
                SignalScope trust = Trust(value);
                if (trust.ToKey() != key)
                {
                    return false; // not canonical (lower case or padded): it would name a different row
                }

                scope = trust;
                return true;
            case "device":
                scope = Device(value);
                return true;
            default:
                return false;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        SignalScopeKind.Trust => "trust:" + Value,
        SignalScopeKind.Device => "device:" + Value,
        _ => "national",
    };
}
