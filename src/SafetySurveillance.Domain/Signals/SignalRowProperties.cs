using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using SafetySurveillance.Domain.Events.Outcomes;

namespace SafetySurveillance.Domain.Signals;

/// <summary>
/// The flat form of a <see cref="SignalRow"/> for a table entity: property name → <see cref="long"/> or
/// <see cref="string"/>. No Azure types; the Table adapter copies these into a <c>TableEntity</c>.
/// </summary>
/// <remarks>
/// <para>Layout (schema version 1). Zero-valued numbers are omitted and read back as 0, so rows stay small.</para>
/// <list type="bullet">
/// <item><c>SchemaVersion</c> (long, always written): 1. A reader refuses a newer version rather than drop its fields.</item>
/// <item>One long per <see cref="SignalCount"/>, named after the member, e.g. <c>Procedures</c>, <c>SeriousAdverseEvents</c>.</item>
/// <item><c>{Measure}_{Timepoint}_N</c>, <c>_Sum</c>, <c>_SumSq</c> for outcome scores, e.g. <c>PainNrs_Month12_Sum</c>;
/// <c>_ChangeN</c>, <c>_ChangeSum</c>, <c>_ChangeSumSq</c> for change from baseline; <c>_Responders</c>.</item>
/// <item><c>Reports_{Timepoint}</c>: outcome reports received.</item>
/// <item><c>ImdrfCodes</c> (string): <c>A0101=3;E0102=1</c>, codes in ordinal order.</item>
/// <item><c>FollowUp12</c> (string): <c>2026-03=12/8;2026-04=3/0</c>, procedure month = procedures/received.</item>
/// <item><c>Watermarks</c> (string): <c>0=1234;1=99</c>, partition id = last sequence number.</item>
/// </list>
/// <para>
/// At most 16 + 4·5·7 + 5 + 4 = 165 properties, under the Table service's limit of 252; the strings grow by
/// about 20 characters per month of history or per code, far below the 64 KiB property limit.
/// </para>
/// </remarks>
public static class SignalRowProperties
{
    /// <summary>The schema version this code writes.</summary>
    public const long CurrentSchemaVersion = 1;

    /// <summary>Name of the schema version property.</summary>
    public const string SchemaVersion = "SchemaVersion";

    /// <summary>Name of the IMDRF code counts property.</summary>
    public const string ImdrfCodes = "ImdrfCodes";

    /// <summary>Name of the 12-month follow-up cohorts property.</summary>
    public const string FollowUp12 = "FollowUp12";

    /// <summary>Name of the partition watermarks property.</summary>
    public const string Watermarks = "Watermarks";

    private const int MomentNamesPerSlot = 7;

    private static readonly ImmutableArray<string> CountNames = [.. Enum.GetNames<SignalCount>()];

    // Per (measure, timepoint) slot: N, Sum, SumSq, ChangeN, ChangeSum, ChangeSumSq, Responders. Built once so that
    // writing and reading a row allocate no names.
    private static readonly ImmutableArray<string> MomentNames = BuildMomentNames();

    private static readonly ImmutableArray<string> ReportNames =
        [.. Enumerable.Range(0, SignalDelta.Timepoints).Select(t => "Reports_" + (OutcomeTimepoint)t)];

    /// <summary>Writes the row's properties.</summary>
    public static Dictionary<string, object> ToProperties(SignalRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        SignalDelta totals = row.Totals;
        var properties = new Dictionary<string, object>(StringComparer.Ordinal) { [SchemaVersion] = CurrentSchemaVersion };

        long[] counts = totals.RawCounts;
        for (int i = 0; i < counts.Length; i++)
        {
            Put(properties, CountNames[i], counts[i]);
        }

        for (int slot = 0; slot < totals.RawResponders.Length; slot++)
        {
            int i = slot * 3; // slot = measure × timepoints + timepoint, as in SignalDelta.MomentIndex
            int n = slot * MomentNamesPerSlot;
            Put(properties, MomentNames[n], totals.RawOutcomes[i]);
            Put(properties, MomentNames[n + 1], totals.RawOutcomes[i + 1]);
            Put(properties, MomentNames[n + 2], totals.RawOutcomes[i + 2]);
            Put(properties, MomentNames[n + 3], totals.RawChanges[i]);
            Put(properties, MomentNames[n + 4], totals.RawChanges[i + 1]);
            Put(properties, MomentNames[n + 5], totals.RawChanges[i + 2]);
            Put(properties, MomentNames[n + 6], totals.RawResponders[slot]);
        }

        for (int t = 0; t < SignalDelta.Timepoints; t++)
        {
            Put(properties, ReportNames[t], totals.RawReports[t]);
        }

        if (totals.ImdrfCodeCounts.Count > 0)
        {
            properties[ImdrfCodes] = Join(totals.ImdrfCodeCounts.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, e.Value.ToString(CultureInfo.InvariantCulture))));
        }

        if (totals.FollowUpCohorts.Any())
        {
            properties[FollowUp12] = Join(totals.FollowUpCohorts.Select(e => (e.Key.ToString(), string.Create(CultureInfo.InvariantCulture, $"{e.Value.Procedures}/{e.Value.Received}"))));
        }

        if (row.Watermarks.Count > 0)
        {
            properties[Watermarks] = Join(row.Watermarks.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, e.Value.ToString(CultureInfo.InvariantCulture))));
        }

        return properties;
    }

    /// <summary>
    /// Reads a row back. Properties this schema does not know (PartitionKey, RowKey, Timestamp, odata.etag …)
    /// are ignored. Returns false with a reason for a newer schema version or a malformed value.
    /// </summary>
    public static bool TryFromProperties(IDictionary<string, object> properties, out SignalRow row, out string? error)
    {
        ArgumentNullException.ThrowIfNull(properties);
        row = new SignalRow();
        error = null;
        SignalDelta totals = row.Totals;

        if (!TryLong(properties, SchemaVersion, out long version, ref error))
        {
            return false;
        }

        if (version > CurrentSchemaVersion)
        {
            error = $"{SchemaVersion} {version} is newer than this code understands ({CurrentSchemaVersion}).";
            return false;
        }

        long[] counts = totals.RawCounts;
        for (int i = 0; i < counts.Length; i++)
        {
            if (!TryLong(properties, CountNames[i], out counts[i], ref error))
            {
                return false;
            }
        }

        for (int slot = 0; slot < totals.RawResponders.Length; slot++)
        {
            int i = slot * 3;
            int n = slot * MomentNamesPerSlot;
            if (!TryLong(properties, MomentNames[n], out totals.RawOutcomes[i], ref error)
                || !TryLong(properties, MomentNames[n + 1], out totals.RawOutcomes[i + 1], ref error)
                || !TryLong(properties, MomentNames[n + 2], out totals.RawOutcomes[i + 2], ref error)
                || !TryLong(properties, MomentNames[n + 3], out totals.RawChanges[i], ref error)
                || !TryLong(properties, MomentNames[n + 4], out totals.RawChanges[i + 1], ref error)
                || !TryLong(properties, MomentNames[n + 5], out totals.RawChanges[i + 2], ref error)
                || !TryLong(properties, MomentNames[n + 6], out totals.RawResponders[slot], ref error))
            {
                return false;
            }
        }

        for (int t = 0; t < SignalDelta.Timepoints; t++)
        {
            if (!TryLong(properties, ReportNames[t], out totals.RawReports[t], ref error))
            {
                return false;
            }
        }

        foreach ((string key, string value) in Split(properties, ImdrfCodes, ref error))
        {
            if (!AdverseEventContribution.IsValidCode(key) || !TryCount(value, out long count))
            {
                error = $"{ImdrfCodes}: '{key}={value}' is not a code and a count.";
                return false;
            }

            totals.AddCode(key, count);
        }

        foreach ((string key, string value) in Split(properties, FollowUp12, ref error))
        {
            int slash = value.IndexOf('/', StringComparison.Ordinal);
            if (!SignalPeriod.TryParse(key, out SignalPeriod month) || month.Kind != SignalPeriodKind.Month
                || slash < 0 || !TryCount(value[..slash], out long procedures) || !TryCount(value[(slash + 1)..], out long received))
            {
                error = $"{FollowUp12}: '{key}={value}' is not a month and procedures/received.";
                return false;
            }

            totals.AddCohort((month.Year * 12) + month.Number - 1, procedures, received);
        }

        foreach ((string key, string value) in Split(properties, Watermarks, ref error))
        {
            if (!SignalRow.IsValidPartitionId(key) || !TryCount(value, out long sequence))
            {
                error = $"{Watermarks}: '{key}={value}' is not a partition id and a sequence number.";
                return false;
            }

            row.SetWatermark(key, sequence);
        }

        return error is null;
    }

    private static ImmutableArray<string> BuildMomentNames()
    {
        var names = ImmutableArray.CreateBuilder<string>(OutcomeMeasures.Count * SignalDelta.Timepoints * MomentNamesPerSlot);
        for (int m = 0; m < OutcomeMeasures.Count; m++)
        {
            for (int t = 0; t < SignalDelta.Timepoints; t++)
            {
                string prefix = string.Concat(((OutcomeMeasure)m).ToString(), "_", ((OutcomeTimepoint)t).ToString(), "_");
                names.Add(prefix + "N");
                names.Add(prefix + "Sum");
                names.Add(prefix + "SumSq");
                names.Add(prefix + "ChangeN");
                names.Add(prefix + "ChangeSum");
                names.Add(prefix + "ChangeSumSq");
                names.Add(prefix + "Responders");
            }
        }

        return names.MoveToImmutable();
    }

    private static void Put(Dictionary<string, object> properties, string name, long value)
    {
        if (value != 0)
        {
            properties[name] = value;
        }
    }

    private static string Join(IEnumerable<(string Key, string Value)> entries)
    {
        var builder = new StringBuilder();
        foreach ((string key, string value) in entries)
        {
            if (builder.Length > 0)
            {
                builder.Append(';');
            }

            builder.Append(key).Append('=').Append(value);
        }

        return builder.ToString();
    }

    private static List<(string Key, string Value)> Split(IDictionary<string, object> properties, string name, ref string? error)
    {
        var entries = new List<(string, string)>();
        if (error is not null || !properties.TryGetValue(name, out object? raw) || raw is null)
        {
            return entries;
        }

        if (raw is not string text)
        {
            error = $"{name} must be a string.";
            return entries;
        }

        if (text.Length == 0)
        {
            return entries;
        }

        foreach (string part in text.Split(';'))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = $"{name}: '{part}' is not key=value.";
                entries.Clear();
                return entries;
            }

            entries.Add((part[..equals], part[(equals + 1)..]));
        }

        return entries;
    }

    private static bool TryCount(string text, out long value)
        => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static bool TryLong(IDictionary<string, object> properties, string name, out long value, ref string? error)
    {
        value = 0;
        if (!properties.TryGetValue(name, out object? raw) || raw is null)
        {
            return true;
        }

        switch (raw)
        {
            case long l:
                value = l;
                return true;
            case int i:
                value = i;
                return true;
            default:
                error = $"{name} must be a 64-bit integer, not {raw.GetType().Name}.";
                return false;
        }
    }
}
