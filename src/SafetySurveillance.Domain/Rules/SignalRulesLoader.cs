using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Domain.Statistics;

namespace SafetySurveillance.Domain.Rules;

/// <summary>One thing wrong with a rules file.</summary>
/// <param name="Path">Where, as a JSON path: <c>$.procedures[0].rules[2].benchmark</c>.</param>
/// <param name="Reason">What is wrong, in plain English.</param>
public sealed record RuleProblem(string Path, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Reason}";
}

/// <summary>A loaded rule set, or every problem found; never both.</summary>
public sealed record SignalRulesLoadResult(SignalRuleSet? Rules, IReadOnlyList<RuleProblem> Problems)
{
    /// <summary>True when the file was valid.</summary>
    public bool Succeeded => Rules is not null;
}

/// <summary>
/// Reads and validates the rules file (<c>config/signal-rules.json</c>, schema beside it). Validation is
/// complete: it does not stop at the first problem, so a start-up failure lists everything to fix.
/// Unknown properties are problems too, so a misspelt threshold cannot silently fall back to nothing.
/// </summary>
public static partial class SignalRulesLoader
{
    /// <summary>The largest n a CUSUM threshold may be designed for (the design costs n × h/Δ steps).</summary>
    public const int MaxDesignPatients = 5000;

    private static readonly string[] RuleKinds = ["sentinel", "rate", "funnel", "cusum", "follow-up"];

    /// <summary>Parses and validates rules-file text.</summary>
    public static SignalRulesLoadResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } line ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, byte {e.BytePositionInLine + 1})") : string.Empty;
            return new SignalRulesLoadResult(null, [new RuleProblem("$", "The file is not valid JSON" + where + ".")]);
        }

        using (document)
        {
            var problems = new List<RuleProblem>();
            SignalRuleSet? set = ReadRoot(document.RootElement, problems);
            return problems.Count == 0 && set is not null
                ? new SignalRulesLoadResult(set, [])
                : new SignalRulesLoadResult(null, problems);
        }
    }

    private static SignalRuleSet? ReadRoot(JsonElement root, List<RuleProblem> problems)
    {
        var reader = ObjectReader.Open(root, "$", problems);
        if (reader is null)
        {
            return null;
        }

        reader.Optional("$schema");
        int? version = reader.Integer("schemaVersion", required: true);
        if (version is { } v && v != SignalRuleSet.CurrentSchemaVersion)
        {
            reader.Problem("schemaVersion", string.Create(CultureInfo.InvariantCulture, $"Version {v} is not understood; this build reads version {SignalRuleSet.CurrentSchemaVersion}."));
        }

        var procedures = new List<ProcedureRules>();
        if (reader.Array("procedures", out JsonElement array))
        {
            if (array.GetArrayLength() == 0)
            {
                reader.Problem("procedures", "At least one procedure is needed; an empty file would watch nothing.");
            }

            var codes = new HashSet<string>(StringComparer.Ordinal);
            int index = 0;
            foreach (JsonElement item in array.EnumerateArray())
            {
                string path = string.Create(CultureInfo.InvariantCulture, $"$.procedures[{index++}]");
                ProcedureRules? procedure = ReadProcedure(item, path, problems);
                if (procedure is null)
                {
                    continue;
                }

                if (!codes.Add(procedure.ProcedureCode))
                {
                    problems.Add(new RuleProblem(path + ".procedureCode", $"Procedure '{procedure.ProcedureCode}' appears more than once; put all its rules in one entry."));
                }

                procedures.Add(procedure);
            }
        }

        reader.RejectUnknown();
        return version is null ? null : new SignalRuleSet(version.Value, procedures);
    }

    private static ProcedureRules? ReadProcedure(JsonElement element, string path, List<RuleProblem> problems)
    {
        var reader = ObjectReader.Open(element, path, problems);
        if (reader is null)
        {
            return null;
        }

        string? code = reader.String("procedureCode", required: true);
        if (code is not null && !OpcsCode().IsMatch(code))
        {
            reader.Problem("procedureCode", $"'{code}' is not an OPCS-4 code (a capital letter, two digits, optionally '.' and one digit, e.g. A48.4).");
        }

        var rules = new List<SignalRule>();
        if (reader.Array("rules", out JsonElement array))
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            int index = 0;
            foreach (JsonElement item in array.EnumerateArray())
            {
                string rulePath = string.Create(CultureInfo.InvariantCulture, $"{path}.rules[{index++}]");
                SignalRule? rule = ReadRule(item, rulePath, problems);
                if (rule is null)
                {
                    continue;
                }

                if (!ids.Add(rule.Id))
                {
                    problems.Add(new RuleProblem(rulePath + ".id", $"Rule id '{rule.Id}' is used twice for this procedure; alert ids are built from it, so it must be unique."));
                }

                rules.Add(rule);
            }
        }

        reader.RejectUnknown();
        return code is null ? null : new ProcedureRules(code, rules);
    }

    private static SignalRule? ReadRule(JsonElement element, string path, List<RuleProblem> problems)
    {
        var reader = ObjectReader.Open(element, path, problems);
        if (reader is null)
        {
            return null;
        }

        string? id = reader.String("id", required: true);
        if (id is not null && !RuleId().IsMatch(id))
        {
            reader.Problem("id", $"'{id}' is not a rule id: use 1–64 lower-case letters, digits and hyphens, starting with a letter (it becomes part of alert ids).");
        }

        string? reason = reader.String("reason", required: true);
        if (reason is not null && string.IsNullOrWhiteSpace(reason))
        {
            reader.Problem("reason", "Say why this rule and its numbers were chosen, with the source.");
        }

        string? kind = reader.String("kind", required: true);
        int before = problems.Count;
        SignalRule? rule = kind switch
        {
            null => Unknown(reader, null),
            "sentinel" => ReadSentinel(reader, id, reason),
            "rate" => ReadRate(reader, id, reason),
            "funnel" => ReadFunnel(reader, id, reason),
            "cusum" => ReadCusum(reader, id, reason),
            "follow-up" => ReadFollowUp(reader, id, reason),
            _ => Unknown(reader, kind),
        };

        reader.RejectUnknown();
        return problems.Count == before && id is not null && reason is not null ? rule : null;
    }

    private static SignalRule? Unknown(ObjectReader reader, string? kind)
    {
        if (kind is not null)
        {
            reader.Problem("kind", $"Unknown rule kind '{kind}'; the kinds are {string.Join(", ", RuleKinds.Select(k => "'" + k + "'"))}.");
        }

        reader.IgnoreRest(); // without a known kind, the other properties cannot be judged
        return null;
    }

    private static SentinelRule? ReadSentinel(ObjectReader reader, string? id, string? reason)
    {
        SignalCount? count = reader.Count("count", required: true);
        SignalPeriodKind? period = reader.Period("period", SignalPeriodKind.Month);
        IReadOnlyList<SignalScopeKind>? scopes = reader.Scopes("scopes", [SignalScopeKind.Trust]);
        return count is { } c && period is { } p && scopes is not null ? new SentinelRule(id ?? "", reason ?? "", p, scopes, c) : null;
    }

    private static RateRule? ReadRate(ObjectReader reader, string? id, string? reason)
    {
        SignalCount? numerator = reader.Count("numerator", required: true);
        SignalCount? denominator = reader.Count("denominator", required: true);
        double? benchmark = reader.Probability("benchmark", required: true);
        double? warning = reader.Probability("warningConfidence", required: true);
        double? alarm = reader.Probability("alarmConfidence", required: false);
        if (warning is { } w && alarm is { } a && !(a > w))
        {
            reader.Problem("alarmConfidence", "The alarm confidence must be higher than the warning confidence, or an alarm would come before its warning.");
        }

        long? minimum = reader.Long("minimumDenominator", required: true, minimum: 1);
        SignalPeriodKind? period = reader.Period("period", SignalPeriodKind.AllTime);
        IReadOnlyList<SignalScopeKind>? scopes = reader.Scopes("scopes", [SignalScopeKind.Trust]);
        reader.CheckNumeratorDenominator(numerator, denominator);
        return numerator is { } n && denominator is { } d && benchmark is { } b && warning is { } wc && minimum is { } m && period is { } p && scopes is not null
            ? new RateRule(id ?? "", reason ?? "", p, scopes, n, d, b, wc, alarm, m)
            : null;
    }

    private static FunnelRule? ReadFunnel(ObjectReader reader, string? id, string? reason)
    {
        SignalCount? numerator = reader.Count("numerator", required: true);
        SignalCount? denominator = reader.Count("denominator", required: true);
        string? target = reader.String("target", required: true);
        FunnelTarget? targetKind = target switch
        {
            null => null,
            "national" => FunnelTarget.National,
            "benchmark" => FunnelTarget.Benchmark,
            _ => null,
        };
        if (target is not null && targetKind is null)
        {
            reader.Problem("target", $"Unknown target '{target}'; use 'national' (the national row's rate) or 'benchmark' (a fixed rate in 'benchmark').");
        }

        double? benchmark = reader.Probability("benchmark", required: targetKind == FunnelTarget.Benchmark);
        if (targetKind == FunnelTarget.National && benchmark is not null)
        {
            reader.Problem("benchmark", "A funnel with target 'national' takes no benchmark; remove it or set target to 'benchmark'.");
        }

        string? adjustment = reader.String("overdispersion", required: false) ?? "none";
        OverdispersionAdjustment? overdispersion = adjustment switch
        {
            "none" => OverdispersionAdjustment.None,
            "multiplicative" => OverdispersionAdjustment.Multiplicative,
            "additive" => OverdispersionAdjustment.AdditiveRandomEffects,
            _ => null,
        };
        if (overdispersion is null)
        {
            reader.Problem("overdispersion", $"Unknown over-dispersion adjustment '{adjustment}'; use 'none', 'multiplicative' or 'additive'.");
        }

        long? minimumUnits = reader.Long("minimumUnitsForOverdispersion", required: false, minimum: 2) ?? 10;
        long? minimum = reader.Long("minimumDenominator", required: true, minimum: 1);
        SignalPeriodKind? period = reader.Period("period", SignalPeriodKind.AllTime);
        IReadOnlyList<SignalScopeKind>? scopes = reader.Scopes("scopes", [SignalScopeKind.Trust]);
        if (scopes is not null && scopes.Contains(SignalScopeKind.National))
        {
            reader.Problem("scopes", "A funnel plot compares trusts or devices with each other; 'national' is the target, not a unit.");
        }

        reader.CheckNumeratorDenominator(numerator, denominator);
        return numerator is { } n && denominator is { } d && targetKind is { } t && overdispersion is { } o && minimum is { } m && period is { } p && scopes is not null
            ? new FunnelRule(id ?? "", reason ?? "", p, scopes, n, d, t, benchmark, o, (int)Math.Min(minimumUnits.Value, int.MaxValue), m)
            : null;
    }

    private static CusumRule? ReadCusum(ObjectReader reader, string? id, string? reason)
    {
        SignalCount? numerator = reader.Count("numerator", required: true);
        SignalCount? denominator = reader.Count("denominator", required: true);
        double? p0 = reader.Probability("inControlRate", required: true);
        double? oddsRatio = reader.Double("oddsRatio", required: true);
        if (oddsRatio is { } r && !(r > 1.0 && r <= 100.0))
        {
            reader.Problem("oddsRatio", "The odds ratio to detect must be above 1 (a rise in risk) and at most 100.");
            oddsRatio = null;
        }

        long? maturity = reader.Long("maturityMonths", required: true, minimum: 0, maximum: 36);
        double? fixedThreshold = reader.Double("threshold", required: false);
        CusumThresholdDesign? design = null;
        bool designGiven = reader.Has("thresholdDesign");
        if (fixedThreshold is { } h && !(h > 0.0 && h <= 50.0))
        {
            reader.Problem("threshold", "h must be positive (and at most 50).");
            fixedThreshold = null;
        }

        if (designGiven)
        {
            design = reader.Nested("thresholdDesign", ReadDesign);
        }

        if (fixedThreshold is null && !designGiven && !reader.Has("threshold"))
        {
            reader.Problem("threshold", "Give either 'threshold' (a fixed h) or 'thresholdDesign' (h for a false-signal probability over n patients).");
        }
        else if (reader.Has("threshold") && designGiven)
        {
            reader.Problem("thresholdDesign", "Give 'threshold' or 'thresholdDesign', not both: it would be unclear which h is in force.");
        }

        reader.CheckNumeratorDenominator(numerator, denominator);
        if (numerator is not { } n || denominator is not { } d || p0 is not { } p || oddsRatio is not { } or || maturity is not { } m)
        {
            return null;
        }

        double threshold;
        if (fixedThreshold is { } fixedH && design is null)
        {
            threshold = fixedH;
        }
        else if (design is not null && !reader.Has("threshold"))
        {
            try
            {
                threshold = CusumDesign.ThresholdForFalseSignalProbability(p, or, design.FalseSignalProbability, design.Patients);
            }
            catch (ArgumentException e)
            {
                reader.Problem("thresholdDesign", "No threshold could be designed for these numbers: " + e.Message);
                return null;
            }
        }
        else
        {
            return null;
        }

        return new CusumRule(id ?? "", reason ?? "", n, d, p, or, threshold, design, (int)m);
    }

    private static CusumThresholdDesign? ReadDesign(ObjectReader reader)
    {
        double? alpha = reader.Probability("falseSignalProbability", required: true);
        long? patients = reader.Long("patients", required: true, minimum: 1, maximum: MaxDesignPatients);
        return alpha is { } a && patients is { } n ? new CusumThresholdDesign(a, (int)n) : null;
    }

    private static FollowUpRule? ReadFollowUp(ObjectReader reader, string? id, string? reason)
    {
        double? target = reader.Probability("targetCompleteness", required: true);
        double? confidence = reader.Probability("confidence", required: true);
        long? grace = reader.Long("graceMonths", required: false, minimum: 0, maximum: 12) ?? FollowUpCompleteness.DefaultGraceMonths;
        long? minimum = reader.Long("minimumDue", required: true, minimum: 1);
        SignalPeriodKind? period = reader.Period("period", SignalPeriodKind.AllTime);
        IReadOnlyList<SignalScopeKind>? scopes = reader.Scopes("scopes", [SignalScopeKind.Trust]);
        return target is { } t && confidence is { } c && minimum is { } m && period is { } p && scopes is not null
            ? new FollowUpRule(id ?? "", reason ?? "", p, scopes, t, c, (int)grace.Value, m)
            : null;
    }

    [GeneratedRegex("^[A-Z][0-9]{2}(\\.[0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex OpcsCode();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex RuleId();

    /// <summary>Reads one JSON object, remembering which properties were consumed and every problem.</summary>
    private sealed class ObjectReader
    {
        private readonly JsonElement element;
        private readonly string path;
        private readonly List<RuleProblem> problems;
        private readonly HashSet<string> seen = new(StringComparer.Ordinal);
        private bool ignoreRest;

        private ObjectReader(JsonElement element, string path, List<RuleProblem> problems)
        {
            this.element = element;
            this.path = path;
            this.problems = problems;
        }

        public static ObjectReader? Open(JsonElement element, string path, List<RuleProblem> problems)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new RuleProblem(path, $"Expected an object, found {Describe(element)}."));
                return null;
            }

            return new ObjectReader(element, path, problems);
        }

        public void Problem(string property, string reason) => problems.Add(new RuleProblem(path + "." + property, reason));

        public void IgnoreRest() => ignoreRest = true;

        public bool Has(string name) => element.TryGetProperty(name, out _);

        public void Optional(string name) => seen.Add(name);

        public void RejectUnknown()
        {
            if (ignoreRest)
            {
                return;
            }

            foreach (JsonProperty property in element.EnumerateObject())
            {
                if (!seen.Contains(property.Name))
                {
                    problems.Add(new RuleProblem(path + "." + property.Name, $"Unknown property '{property.Name}' (misspelt, or not used by this rule kind)."));
                }
            }
        }

        public T? Nested<T>(string name, Func<ObjectReader, T?> read)
            where T : class
        {
            seen.Add(name);
            if (!element.TryGetProperty(name, out JsonElement value))
            {
                return null;
            }

            ObjectReader? inner = Open(value, path + "." + name, problems);
            if (inner is null)
            {
                return null;
            }

            T? result = read(inner);
            inner.RejectUnknown();
            return result;
        }

        public bool Array(string name, out JsonElement array)
        {
            seen.Add(name);
            array = default;
            if (!element.TryGetProperty(name, out JsonElement value))
            {
                Problem(name, $"'{name}' is required.");
                return false;
            }

            if (value.ValueKind != JsonValueKind.Array)
            {
                Problem(name, $"Expected an array, found {Describe(value)}.");
                return false;
            }

            array = value;
            return true;
        }

        public string? String(string name, bool required)
        {
            if (!Get(name, required, out JsonElement value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                Problem(name, $"Expected a string, found {Describe(value)}.");
                return null;
            }

            return value.GetString();
        }

        public double? Double(string name, bool required)
        {
            if (!Get(name, required, out JsonElement value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double number) || !double.IsFinite(number))
            {
                Problem(name, $"Expected a number, found {Describe(value)}.");
                return null;
            }

            return number;
        }

        public double? Probability(string name, bool required)
        {
            double? number = Double(name, required);
            if (number is { } p && !(p > 0.0 && p < 1.0))
            {
                Problem(name, string.Create(CultureInfo.InvariantCulture, $"{p} is not a probability strictly between 0 and 1 (write 3.9 % as 0.039)."));
                return null;
            }

            return number;
        }

        public int? Integer(string name, bool required)
        {
            long? value = Long(name, required, int.MinValue, int.MaxValue);
            return value is { } v ? (int)v : null;
        }

        public long? Long(string name, bool required, long minimum = long.MinValue, long maximum = long.MaxValue)
        {
            if (!Get(name, required, out JsonElement value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long number))
            {
                Problem(name, $"Expected a whole number, found {Describe(value)}.");
                return null;
            }

            if (number < minimum || number > maximum)
            {
                string range = maximum == long.MaxValue
                    ? string.Create(CultureInfo.InvariantCulture, $"at least {minimum}")
                    : string.Create(CultureInfo.InvariantCulture, $"between {minimum} and {maximum}");
                Problem(name, string.Create(CultureInfo.InvariantCulture, $"{number} is out of range: it must be {range}."));
                return null;
            }

            return number;
        }

        public SignalCount? Count(string name, bool required)
        {
            string? text = String(name, required);
            if (text is null)
            {
                return null;
            }

            if (!Enum.TryParse(text, ignoreCase: false, out SignalCount count) || !Enum.IsDefined(count) || text.Any(char.IsDigit))
            {
                Problem(name, $"'{text}' is not a signal counter; the counters are {string.Join(", ", Enum.GetNames<SignalCount>())}.");
                return null;
            }

            return count;
        }

        public void CheckNumeratorDenominator(SignalCount? numerator, SignalCount? denominator)
        {
            if (numerator is { } n && denominator is { } d && n == d)
            {
                Problem("denominator", "The numerator and denominator are the same counter, so the rate is always 1.");
            }
        }

        public SignalPeriodKind? Period(string name, SignalPeriodKind fallback)
        {
            string? text = String(name, required: false);
            if (text is null)
            {
                return Has(name) ? null : fallback;
            }

            SignalPeriodKind? kind = text switch
            {
                "month" => SignalPeriodKind.Month,
                "quarter" => SignalPeriodKind.Quarter,
                "all" => SignalPeriodKind.AllTime,
                _ => null,
            };
            if (kind is null)
            {
                Problem(name, $"Unknown period '{text}'; use 'month', 'quarter' or 'all'.");
            }

            return kind;
        }

        public IReadOnlyList<SignalScopeKind>? Scopes(string name, IReadOnlyList<SignalScopeKind> fallback)
        {
            seen.Add(name);
            if (!element.TryGetProperty(name, out JsonElement value))
            {
                return fallback;
            }

            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
            {
                Problem(name, $"Expected a non-empty array of 'national', 'trust', 'device', found {Describe(value)}.");
                return null;
            }

            var scopes = new List<SignalScopeKind>();
            bool ok = true;
            int index = 0;
            foreach (JsonElement item in value.EnumerateArray())
            {
                string itemPath = string.Create(CultureInfo.InvariantCulture, $"{path}.{name}[{index++}]");
                SignalScopeKind? kind = item.ValueKind == JsonValueKind.String
                    ? item.GetString() switch
                    {
                        "national" => SignalScopeKind.National,
                        "trust" => SignalScopeKind.Trust,
                        "device" => SignalScopeKind.Device,
                        _ => null,
                    }
                    : null;
                if (kind is not { } k)
                {
                    problems.Add(new RuleProblem(itemPath, $"Unknown scope {Describe(item)}; use 'national', 'trust' or 'device'."));
                    ok = false;
                }
                else if (scopes.Contains(k))
                {
                    problems.Add(new RuleProblem(itemPath, $"Scope '{item.GetString()}' is listed twice."));
                    ok = false;
                }
                else
                {
                    scopes.Add(k);
                }
            }

            return ok ? scopes : null;
        }

        private bool Get(string name, bool required, out JsonElement value)
        {
            seen.Add(name);
            if (element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
            {
                return true;
            }

            if (required)
            {
                Problem(name, $"'{name}' is required.");
            }

            return false;
        }

        private static string Describe(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => "'" + value.GetString() + "'",
            JsonValueKind.Number => "the number " + value.GetRawText(),
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => "null",
        };
    }
}
