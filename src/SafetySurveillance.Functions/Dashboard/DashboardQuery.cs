using System.Text.RegularExpressions;
using SafetySurveillance.Domain.Events.CloudEvents;
using SafetySurveillance.Domain.Events.Procedures;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Functions.Dashboard;

/// <summary>Reads and checks the query parameters the dashboard's data APIs share, collecting every problem.</summary>
/// <param name="query">The request's query string.</param>
/// <param name="known">The parameters the function accepts (<c>code</c>, the host's function key, is always accepted).</param>
public sealed partial class DashboardQuery(IReadOnlyDictionary<string, string> query, params string[] known)
{
    private readonly List<ParameterProblem> _problems = [.. query.Keys
        .Where(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase) && !string.Equals(k, "code", StringComparison.OrdinalIgnoreCase))
        .Order(StringComparer.Ordinal)
        .Select(k => new ParameterProblem(k, $"Unknown parameter; the parameters are {string.Join(", ", known)}."))];

    /// <summary>Every problem found so far.</summary>
    public IReadOnlyList<ParameterProblem> Problems => _problems;

    /// <summary>The trimmed value, or null when absent or blank.</summary>
    public string? Value(string name) =>
        query.TryGetValue(name, out string? value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>The procedure code (required): an OPCS-4 code the rules file has rules for.</summary>
    public ProcedureRules? Procedure(string name, SignalRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        string? code = Value(name);
        if (code is null)
        {
            _problems.Add(new ParameterProblem(name, "Required: an OPCS-4 procedure code such as A48.4."));
            return null;
        }

        if (!ProcedureCode().IsMatch(code))
        {
            _problems.Add(new ParameterProblem(name, "Not an OPCS-4 procedure code: a capital letter, two digits and optionally a dot and a digit (A48 or A48.4)."));
            return null;
        }

        ProcedureRules? found = rules.For(code);
        if (found is null)
        {
            _problems.Add(new ParameterProblem(name, $"No signal rules are configured for {code}; configured: {string.Join(", ", rules.Procedures.Select(p => p.ProcedureCode))}."));
        }

        return found;
    }

    /// <summary>A period (<c>2026-03</c>, <c>2026-Q1</c>, <c>all</c>), or <paramref name="fallback"/> when absent.</summary>
    public SignalPeriod Period(string name, SignalPeriod fallback)
    {
        string? text = Value(name);
        if (text is null)
        {
            return fallback;
        }

        if (!SignalPeriod.TryParse(text, out SignalPeriod period))
        {
            _problems.Add(new ParameterProblem(name, "Not a period: use a month (2026-03), a quarter (2026-Q1) or all."));
            return fallback;
        }

        return period;
    }

    /// <summary>A month (<c>2026-03</c>), or <paramref name="fallback"/> when absent.</summary>
    public SignalPeriod Month(string name, SignalPeriod fallback)
    {
        string? text = Value(name);
        if (text is null)
        {
            return fallback;
        }

        if (!SignalPeriod.TryParse(text, out SignalPeriod month) || month.Kind != SignalPeriodKind.Month)
        {
            _problems.Add(new ParameterProblem(name, "Not a month: use yyyy-MM, e.g. 2026-03."));
            return fallback;
        }

        return month;
    }

    /// <summary>An ODS code (upper-cased), or null when absent.</summary>
    public string? Trust(string name)
    {
        string? text = Value(name);
        if (text is null)
        {
            return null;
        }

        string ods = text.ToUpperInvariant();
        if (!OdsCode.IsValid(ods))
        {
            _problems.Add(new ParameterProblem(name, "Not an ODS code: 3–5 letters and digits, e.g. RX1."));
            return null;
        }

        return ods;
    }

    /// <summary>Adds a problem found by the caller.</summary>
    public void Problem(string name, string message) => _problems.Add(new ParameterProblem(name, message));

    [GeneratedRegex(ProcedurePerformedJson.ProcedureCodePattern, RegexOptions.CultureInvariant)]
    private static partial Regex ProcedureCode();
}
