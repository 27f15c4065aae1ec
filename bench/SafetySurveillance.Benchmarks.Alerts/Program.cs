using System.Diagnostics;
using System.Globalization;
using SafetySurveillance.Benchmarks.Alerts;
using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Statistics;

// Issue #5 "Proof": the CUSUM never fires on in-control data more often than its design says — by simulation, not a test.
//
// For every CUSUM rule in the rules file (default config/signal-rules.json) it simulates in-control data (each patient
// adverse with probability p₀) through the domain's own chart code and prints, beside the design value:
//   1. patient by patient (BernoulliCusum.Step): the share of charts that signal within the design's n patients —
//      the model h was designed under; the exact Markov-chain value (CusumDesign.SignalProbability) is printed too;
//   2. as deployed (CusumChart.Advance, monthly Binomial counts, events spread through each month): the same share;
//   3. as deployed, month after month for --years: signals per chart-year, against the design's long-run rate
//      (patients per year / ARL₀, ARL₀ from CusumDesign.AverageRunLength; the chart restarts from 0 after a signal).
//      That is a long-run rate: a chart fresh from 0 cannot signal for its first few events, so over 10 years it runs
//      below it (with --years 100 the two meet).
// Each figure has a two-sided confidence interval (Wilson for shares, normal over charts for the rate). A figure FAILs
// when its interval lies wholly above the design value (the chart fires significantly more often than designed);
// otherwise it PASSes. Exit code 0 when every figure passes, 1 otherwise.
//
// Usage: dotnet run -c Release --project bench/SafetySurveillance.Benchmarks.Alerts
//          [-- --replicates 20000 --seed 42 --patients-per-month 3 --years 10 --confidence 0.95 --rules config/signal-rules.json]
var inv = CultureInfo.InvariantCulture;
var replicates = (int)(Number("--replicates") ?? 20_000);
var seed = (int)(Number("--seed") ?? 42);
var patientsPerMonth = (int)(Number("--patients-per-month") ?? 3);
var years = (int)(Number("--years") ?? 10);
var confidence = Number("--confidence") ?? 0.95;
var rulesPath = Text("--rules") ?? Path.Combine(FindRoot() ?? ".", "config", "signal-rules.json");

var loaded = SignalRulesLoader.Parse(File.ReadAllText(rulesPath));
if (loaded.Rules is null)
{
    Console.Error.WriteLine($"{rulesPath} is not a valid rules file:");
    foreach (var problem in loaded.Problems)
    {
        Console.Error.WriteLine($"  {problem}");
    }

    return 2;
}

var charts = loaded.Rules.Procedures.SelectMany(p => p.Rules.OfType<CusumRule>().Select(r => (p.ProcedureCode, Rule: r))).ToList();
Console.WriteLine(string.Create(inv, $"CUSUM false signals on in-control data — {rulesPath}, seed {seed}, {replicates:N0} charts per figure, {confidence:P0} intervals"));
if (charts.Count == 0)
{
    Console.WriteLine("No CUSUM rule in the file: nothing to check.");
    return 0;
}

var allPass = true;
var watch = Stopwatch.StartNew();
foreach (var (procedure, rule) in charts)
{
    var n = rule.Design?.Patients ?? 100;
    RiskShare[] mix = [new RiskShare(rule.InControlRate, 1.0)];
    var exact = CusumDesign.SignalProbability(mix, rule.OddsRatio, rule.Threshold, n);
    var arl0 = CusumDesign.AverageRunLength(mix, rule.OddsRatio, rule.Threshold);
    var alpha = rule.Design?.FalseSignalProbability ?? exact;
    var simulation = new CusumSimulation(rule, procedure);

    Console.WriteLine();
    Console.WriteLine(string.Create(inv,
        $"{procedure} {rule.Id}: p0 = {rule.InControlRate:0.####}, R = {rule.OddsRatio:0.##}, h = {rule.Threshold:0.###}; design: P(false signal within {n} patients) ≤ {alpha:0.###}{(rule.Design is null ? " (no design in the file: the exact value is used)" : "")}"));
    Console.WriteLine(string.Create(inv, $"  exact (Markov chain, patients in random order): P = {exact:0.0000}, ARL0 = {arl0:N0} patients"));

    var random = new Random(seed);
    var patientSignals = 0;
    for (var i = 0; i < replicates; i++)
    {
        patientSignals += simulation.SignalsWithinPatientByPatient(random, n) ? 1 : 0;
    }

    var patientShare = WilsonScore.Interval(patientSignals, replicates, confidence);
    allPass &= Report($"within {n} patients, patient by patient", patientShare, alpha, exact);

    random = new Random(seed + 1);
    var deployedSignals = 0;
    for (var i = 0; i < replicates; i++)
    {
        deployedSignals += simulation.SignalsWithinAsDeployed(random, n, patientsPerMonth) ? 1 : 0;
    }

    var deployedShare = WilsonScore.Interval(deployedSignals, replicates, confidence);
    allPass &= Report($"within {n} patients, as deployed ({patientsPerMonth}/month)", deployedShare, alpha, null);

    random = new Random(seed + 2);
    var perChart = new double[replicates];
    long alarmMonths = 0;
    for (var i = 0; i < replicates; i++)
    {
        var (signals, alarms) = simulation.RunYearsAsDeployed(random, years, patientsPerMonth);
        perChart[i] = signals / (double)years;
        alarmMonths += alarms;
    }

    var mean = perChart.Average();
    var sd = Math.Sqrt(perChart.Sum(x => (x - mean) * (x - mean)) / (replicates - 1));
    var half = NormalDistribution.TwoSidedCriticalValue(confidence) * sd / Math.Sqrt(replicates);
    var designRate = patientsPerMonth * 12 / arl0;
    var ratePass = mean - half <= designRate;
    allPass &= ratePass;
    Console.WriteLine(string.Create(inv,
        $"  {"per chart-year, as deployed (" + years + " years each)",-48} {mean,8:0.0000} signals  ({Math.Max(0, mean - half):0.0000}–{mean + half:0.0000})  design {designRate:0.0000} ({patientsPerMonth * 12}/ARL0)  {(ratePass ? "PASS" : "FAIL")}"));
    Console.WriteLine(string.Create(inv,
        $"  {"",-48} alarm months {alarmMonths:N0} over {(long)replicates * years:N0} chart-years ({alarmMonths / ((double)replicates * years):0.0000} per chart-year)"));
}

Console.WriteLine();
Console.WriteLine(string.Create(inv, $"{watch.Elapsed.TotalSeconds:0.0} s. Verdict: {(allPass ? "PASS — no CUSUM fires on in-control data more often than its design says" : "FAIL — a CUSUM fires significantly more often than its design says")}"));
return allPass ? 0 : 1;

bool Report(string name, ProportionInterval observed, double design, double? exactValue)
{
    var pass = observed.Lower <= design;
    var agreement = exactValue is { } e
        ? (observed.Lower <= e && e <= observed.Upper ? "  (exact value inside the interval)" : "  (exact value OUTSIDE the interval)")
        : "";
    Console.WriteLine(string.Create(inv,
        $"  {name,-48} {observed.Estimate,8:P2} ({observed.Successes:N0}/{observed.Trials:N0})  ({observed.Lower:P2}–{observed.Upper:P2})  design ≤ {design:P2}  {(pass ? "PASS" : "FAIL")}{agreement}"));
    return pass;
}

double? Number(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : null;
}

string? Text(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string? FindRoot()
{
    foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SafetySurveillance.sln")))
            {
                return dir.FullName;
            }
        }
    }

    return null;
}
