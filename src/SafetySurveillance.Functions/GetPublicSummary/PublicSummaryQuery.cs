using System.Text.RegularExpressions;
using SafetySurveillance.Domain.Events.Procedures;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Functions.GetSignals;

namespace SafetySurveillance.Functions.GetPublicSummary;

/// <summary>
/// The parameters of <c>GET /api/public/summary?procedure=&amp;period=</c>, validated. Public figures are per
/// calendar quarter, and only for quarters that have ended: one granularity, so no published figure is the sum of
/// others (months inside a quarter, or all time, would let a hidden count be worked out by subtraction).
/// </summary>
/// <param name="Procedure">OPCS-4 procedure code, e.g. <c>A48.4</c>.</param>
/// <param name="Period">A quarter that ended before today.</param>
public sealed partial record PublicSummaryQuery(string Procedure, SignalPeriod Period)
{
    /// <summary>The query parameter names.</summary>
    public const string ProcedureParameter = "procedure";

    /// <inheritdoc cref="ProcedureParameter"/>
    public const string PeriodParameter = "period";

    // `code` carries a function key when a caller uses one; it is the host's, not ours.
    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase) { ProcedureParameter, PeriodParameter, "code" };

    /// <summary>Validates the query string as of <paramref name="today"/>; returns every problem found.</summary>
    public static bool TryParse(IReadOnlyDictionary<string, string> query, DateOnly today, out PublicSummaryQuery? parsed, out IReadOnlyList<QueryProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(query);
        parsed = null;
        var found = new List<QueryProblem>();
        problems = found;
        foreach (string name in query.Keys.Where(k => !Known.Contains(k)).Order(StringComparer.Ordinal))
        {
            found.Add(new QueryProblem(name, $"Unknown parameter; the parameters are {ProcedureParameter} and {PeriodParameter}."));
        }

        string? procedure = Value(query, ProcedureParameter);
        if (procedure is null)
        {
            found.Add(new QueryProblem(ProcedureParameter, "Required: an OPCS-4 procedure code such as A48.4."));
        }
        else if (!ProcedureCode().IsMatch(procedure))
        {
            found.Add(new QueryProblem(ProcedureParameter, "Not an OPCS-4 procedure code: a capital letter, two digits and optionally a dot and a digit (A48 or A48.4)."));
        }

        string? periodText = Value(query, PeriodParameter);
        SignalPeriod period = default;
        if (periodText is null)
        {
            found.Add(new QueryProblem(PeriodParameter, "Required: a calendar quarter that has ended, such as 2026-Q1."));
        }
        else if (!SignalPeriod.TryParse(periodText, out period) || period.Kind != SignalPeriodKind.Quarter)
        {
            found.Add(new QueryProblem(PeriodParameter, "Public figures are per calendar quarter: use a quarter such as 2026-Q1."));
        }
        else if (period.LastDay >= today)
        {
            found.Add(new QueryProblem(PeriodParameter, $"Figures for {period} are published once the quarter has ended."));
        }

        if (found.Count > 0)
        {
            return false;
        }

        parsed = new PublicSummaryQuery(procedure!, period);
        return true;
    }

    private static string? Value(IReadOnlyDictionary<string, string> query, string name) =>
        query.TryGetValue(name, out string? value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    [GeneratedRegex(ProcedurePerformedJson.ProcedureCodePattern, RegexOptions.CultureInvariant)]
    private static partial Regex ProcedureCode();
}
