using System.Diagnostics.CodeAnalysis;

namespace SafetySurveillance.Domain.Signals;

/// <summary>
/// Identifies one signal row: a procedure, a period and a scope.
/// </summary>
/// <remarks>
/// Table layout (ARCHITECTURE.md, "Storage"): PartitionKey <c>{procedure}|{period}</c>, RowKey <c>{scope}</c>,
/// e.g. <c>A70.1|2026-03</c> / <c>trust:RX1</c>. The procedure code and the scope value pass through
/// <see cref="TableKeyEncoding"/>, so no key can contain a character Azure Tables forbids, a second <c>|</c>,
/// or a quote, and <see cref="TryParse"/> recovers exactly the key that was written. All rows of one
/// procedure and period share a partition, so the national, trust and device rows of a month can be read
/// with one partition query.
/// </remarks>
public readonly record struct SignalKey
{
    /// <summary>The most keys one event touches: 3 periods × (national, trust, device).</summary>
    public const int MaxTouchedKeys = 9;

    private SignalKey(string procedure, SignalPeriod period, SignalScope scope)
    {
        Procedure = procedure;
        Period = period;
        Scope = scope;
    }

    /// <summary>The procedure code, as given.</summary>
    public string Procedure { get; }

    /// <summary>Month, quarter or all time.</summary>
    public SignalPeriod Period { get; }

    /// <summary>National, trust or device.</summary>
    public SignalScope Scope { get; }

    /// <summary>Azure Table PartitionKey: <c>{encoded procedure}|{period}</c>.</summary>
    public string PartitionKey => TableKeyEncoding.Encode(Procedure) + "|" + Period.ToString();

    /// <summary>Azure Table RowKey: the scope's key form.</summary>
    public string RowKey => Scope.ToKey();

    /// <summary>Creates a key.</summary>
    /// <exception cref="ArgumentException">The procedure is blank, or a key would exceed <see cref="TableKeyEncoding.MaxKeyLength"/>.</exception>
    public static SignalKey Create(string procedure, SignalPeriod period, SignalScope scope)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(procedure);
        if (scope.Kind != SignalScopeKind.National && scope.Value is null)
        {
            throw new ArgumentException("A trust or device scope needs a value.", nameof(scope));
        }

        var key = new SignalKey(procedure, period, scope);
        if (key.PartitionKey.Length > TableKeyEncoding.MaxKeyLength || key.RowKey.Length > TableKeyEncoding.MaxKeyLength)
        {
            throw new ArgumentException($"A signal key may not exceed {TableKeyEncoding.MaxKeyLength} characters once encoded.", nameof(procedure));
        }

        return key;
    }

    /// <summary>Recovers a key from its PartitionKey and RowKey; false for anything <see cref="Create"/> cannot produce.</summary>
    public static bool TryParse([NotNullWhen(true)] string? partitionKey, [NotNullWhen(true)] string? rowKey, out SignalKey key)
    {
        key = default;
        if (partitionKey is null || rowKey is null)
        {
            return false;
        }

        int bar = partitionKey.LastIndexOf('|');
        if (bar <= 0
            || !TableKeyEncoding.TryDecode(partitionKey[..bar], out string procedure)
            || string.IsNullOrWhiteSpace(procedure)
            || !SignalPeriod.TryParse(partitionKey[(bar + 1)..], out SignalPeriod period)
            || !SignalScope.TryParseKey(rowKey, out SignalScope scope))
        {
            return false;
        }

        key = new SignalKey(procedure, period, scope);
        return true;
    }

    /// <summary>
    /// Writes every key an observation touches: the month, quarter and all-time periods containing
    /// <paramref name="date"/>, each for national, the trust and (when known) the device.
    /// Returns how many keys were written (6 or 9).
    /// </summary>
    /// <param name="destination">At least <see cref="MaxTouchedKeys"/> long.</param>
    /// <param name="procedure">Procedure code.</param>
    /// <param name="date">The date that places the observation in a period. Signals are cohort-based: pass the
    /// procedure date for procedures, outcomes and adverse events alike, so rates share a denominator.</param>
    /// <param name="odsCode">The trust.</param>
    /// <param name="udiDi">The device, or null when not known.</param>
    public static int WriteTouched(Span<SignalKey> destination, string procedure, DateOnly date, string odsCode, string? udiDi)
    {
        if (destination.Length < MaxTouchedKeys)
        {
            throw new ArgumentException($"The destination needs room for {MaxTouchedKeys} keys.", nameof(destination));
        }

        SignalScope trust = SignalScope.Trust(odsCode);
        SignalScope? device = string.IsNullOrWhiteSpace(udiDi) ? null : SignalScope.Device(udiDi);

        // Checked once, not per key: the month's PartitionKey is as long as the quarter's ("YYYY-MM", "YYYY-Qn") and longer
        // than all time's, and the trust and device RowKeys are the only long ones, so these two cover all nine keys.
        SignalPeriod month = SignalPeriod.Containing(date, SignalPeriodKind.Month);
        _ = Create(procedure, month, trust);
        if (device is { } checkedDevice)
        {
            _ = Create(procedure, month, checkedDevice);
        }

        int count = 0;
        foreach (SignalPeriod period in (ReadOnlySpan<SignalPeriod>)[month, SignalPeriod.Containing(date, SignalPeriodKind.Quarter), SignalPeriod.AllTime])
        {
            destination[count++] = new SignalKey(procedure, period, SignalScope.National);
            destination[count++] = new SignalKey(procedure, period, trust);
            if (device is { } d)
            {
                destination[count++] = new SignalKey(procedure, period, d);
            }
        }

        return count;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Procedure}|{Period}/{Scope}";
}
