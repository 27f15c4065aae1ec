using System.Text.RegularExpressions;
using SafetySurveillance.Domain.Events.CloudEvents;
using SafetySurveillance.Domain.Events.Procedures;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Storage.Signals;

namespace SafetySurveillance.Functions.GetSignals;

/// <summary>One problem with a query parameter, as sent back in a 400 answer.</summary>
/// <param name="Parameter">The query parameter.</param>
/// <param name="Message">What is wrong and what is expected.</param>
public sealed record QueryProblem(string Parameter, string Message);

/// <summary>
/// The parameters of <c>GET /api/signals?procedure=&amp;period=&amp;scope=</c>, validated.
/// </summary>
/// <param name="Procedure">OPCS-4 procedure code, e.g. <c>A48.4</c>.</param>
/// <param name="Period">Month <c>2026-03</c>, quarter <c>2026-Q1</c> or <c>all</c>.</param>
/// <param name="Scope">
/// <c>national</c> (the default), <c>trust:RX1</c>, <c>device:{UDI-DI}</c>, <c>trust:*</c> (every trust),
/// <c>device:*</c> (every device) or <c>*</c> (every row of the procedure and period).
/// </param>
public sealed partial record SignalQuery(string Procedure, SignalPeriod Period, SignalScopeFilter Scope)
{
    /// <summary>The query parameter names.</summary>
    public const string ProcedureParameter = "procedure";

    /// <inheritdoc cref="ProcedureParameter"/>
    public const string PeriodParameter = "period";

    /// <inheritdoc cref="ProcedureParameter"/>
    public const string ScopeParameter = "scope";

    // `code` carries a function key when a caller uses one; it is the host's, not ours.
    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase) { ProcedureParameter, PeriodParameter, ScopeParameter, "code" };

    /// <summary>Validates the query string; returns every problem found, not just the first.</summary>
    public static bool TryParse(IReadOnlyDictionary<string, string> query, out SignalQuery? parsed, out IReadOnlyList<QueryProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(query);
        parsed = null;
        var found = new List<QueryProblem>();
        problems = found;

        foreach (string name in query.Keys.Where(k => !Known.Contains(k)).Order(StringComparer.Ordinal))
        {
            found.Add(new QueryProblem(name, $"Unknown parameter; the parameters are {ProcedureParameter}, {PeriodParameter} and {ScopeParameter}."));
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
            found.Add(new QueryProblem(PeriodParameter, "Required: a month (2026-03), a quarter (2026-Q1) or all."));
        }
        else if (!SignalPeriod.TryParse(periodText, out period))
        {
            found.Add(new QueryProblem(PeriodParameter, "Not a period: use a month (2026-03), a quarter (2026-Q1) or all."));
        }

        SignalScopeFilter scope = SignalScopeFilter.Exactly(SignalScope.National);
        if (Value(query, ScopeParameter) is { } scopeText && !TryParseScope(scopeText, out scope, out string? scopeProblem))
        {
            found.Add(new QueryProblem(ScopeParameter, scopeProblem));
        }

        if (found.Count > 0)
        {
            return false;
        }

        parsed = new SignalQuery(procedure!, period, scope);
        return true;
    }

    private static bool TryParseScope(string text, out SignalScopeFilter scope, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        scope = default;
        problem = null;
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string kind = colon < 0 ? text : text[..colon];
        string? value = colon < 0 ? null : text[(colon + 1)..];
        switch (kind)
        {
            case "national" when value is null:
                scope = SignalScopeFilter.Exactly(SignalScope.National);
                return true;
            case "*" when value is null:
                scope = SignalScopeFilter.Any;
                return true;
            case "trust" when value == "*":
                scope = SignalScopeFilter.AllOf(SignalScopeKind.Trust);
                return true;
            case "trust" when value is not null && OdsCode.IsValid(value.ToUpperInvariant()):
                scope = SignalScopeFilter.Exactly(SignalScope.Trust(value));
                return true;
            case "trust":
                problem = "A trust scope is trust:{ODS code} (3–5 letters and digits, e.g. trust:RX1) or trust:* for every trust.";
                return false;
            case "device" when value == "*":
                scope = SignalScopeFilter.AllOf(SignalScopeKind.Device);
                return true;
            case "device" when value is not null && UdiDi.IsValid(value):
                scope = SignalScopeFilter.Exactly(SignalScope.Device(value));
                return true;
            case "device":
                problem = "A device scope is device:{UDI-DI} (GS1 with a valid check digit, or HIBCC such as +H123ABC0) or device:* for every device.";
                return false;
            default:
                problem = "Use national, trust:{ODS code}, trust:*, device:{UDI-DI}, device:* or * (every row).";
                return false;
        }
    }

    private static string? Value(IReadOnlyDictionary<string, string> query, string name) =>
        query.TryGetValue(name, out string? value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    [GeneratedRegex(ProcedurePerformedJson.ProcedureCodePattern, RegexOptions.CultureInvariant)]
    private static partial Regex ProcedureCode();
}
