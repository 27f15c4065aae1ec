using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Storage.Signals;
using SafetySurveillance.TestInfrastructure.Stack;

// Dashboard funnel query, end to end: an HTTP client → DevHost (the local Functions host) → the function app as a
// custom handler (bearer token from DevHost's development issuer validated, two table reads, funnel limits computed)
// → Azurite, and back.
//   dotnet run --project bench/SafetySurveillance.Benchmarks.Dashboard -c Release -- [--trusts 200] [--requests 500] [--warmup 50]
int trusts = Option("--trusts", 200);
int requests = Option("--requests", 500);
int warmup = Option("--warmup", 50);
const string Procedure = "A48.4";
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
CancellationToken ct = stop.Token;

Console.WriteLine("starting DevHost (Azurite, emulator, function app, development token issuer) ...");
await using LocalStack stack = await LocalStack.StartAsync(ct);

// Seed: every trust gets 40–240 first procedures in one month of 2025 and about 4 % of them a serious related event;
// one trust in twenty has three times that. Written as ingestion writes them (month, quarter and all-time rows).
var seedWatch = Stopwatch.StartNew();
var store = new SignalTableStore(stack.Table(SignalTableStore.TableName));
var pairs = new List<(SignalKey, SequencedContribution)>();
var keys = new SignalKey[SignalKey.MaxTouchedKeys];
long sequence = 0;
var random = new Random(42);
for (int t = 0; t < trusts; t++)
{
    string ods = "R" + ((char)('A' + (t / 26 % 26))).ToString() + ((char)('A' + (t % 26))).ToString() + (t / 676).ToString(CultureInfo.InvariantCulture);
    var date = new DateOnly(2025, 1 + (t % 12), 10);
    int procedures = 40 + random.Next(200);
    int events = (int)Math.Round(procedures * (t % 20 == 7 ? 0.12 : 0.04) * (0.5 + random.NextDouble()));
    void Add(SignalContribution contribution)
    {
        int count = SignalKey.WriteTouched(keys, Procedure, date, ods, null);
        var item = new SequencedContribution(sequence++, contribution);
        foreach (SignalKey key in keys.AsSpan(0, count))
        {
            pairs.Add((key, item));
        }
    }

    for (int i = 0; i < procedures; i++)
    {
        Add(new ProcedureContribution(date, ProcedureFacts.FirstForPatient | ProcedureFacts.MdtSelection | ProcedureFacts.WrittenInformation | ProcedureFacts.RegistryEntry));
    }

    for (int i = 0; i < events; i++)
    {
        Add(new AdverseEventContribution(AdverseEventFacts.Serious | AdverseEventFacts.DeviceRelated | AdverseEventFacts.FirstSeriousRelatedForPatient, ["A0101"]));
    }
}

SignalWriteResult written = await store.ApplyAsync("0", pairs, ct);
Console.WriteLine($"seeded {trusts} trusts ({pairs.Count:N0} row contributions, {written.RowsWritten:N0} rows written) in {seedWatch.Elapsed.TotalSeconds:F1} s");

using var http = new HttpClient { BaseAddress = new Uri(stack.Endpoints.Http.TrimEnd('/') + "/") };
var reviewer = new AuthenticationHeaderValue("Bearer", await TokenAsync("as=reviewer"));
var lead = new AuthenticationHeaderValue("Bearer", await TokenAsync("as=governance-lead&trust=RAA0"));
await MeasureAsync("reviewer (every trust)", reviewer);
await MeasureAsync("governance lead (own trust + national)", lead);

async Task MeasureAsync(string who, AuthenticationHeaderValue token)
{
    string url = $"api/funnel?procedure={Procedure}";
    int shown = 0;
    long bytes = 0;
    for (int i = 0; i < warmup; i++)
    {
        (_, shown, bytes) = await CallAsync(url, token);
    }

    var times = new double[requests];
    var total = Stopwatch.StartNew();
    for (int i = 0; i < requests; i++)
    {
        (times[i], _, _) = await CallAsync(url, token);
    }

    total.Stop();
    Array.Sort(times);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"GET /api/funnel as {who}: {requests} sequential requests after {warmup} warm-up, {shown} trusts in the answer, {bytes:N0} bytes; " +
        $"p50 {Percentile(times, 0.50):F1} ms, p95 {Percentile(times, 0.95):F1} ms, p99 {Percentile(times, 0.99):F1} ms, max {times[^1]:F1} ms, {requests / total.Elapsed.TotalSeconds:F0} requests/s"));
}

async Task<(double Milliseconds, int Trusts, long Bytes)> CallAsync(string url, AuthenticationHeaderValue token)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, url);
    request.Headers.Authorization = token;
    long start = Stopwatch.GetTimestamp();
    using HttpResponseMessage response = await http.SendAsync(request, ct);
    byte[] body = await response.Content.ReadAsByteArrayAsync(ct);
    double elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}\n{stack.RecentOutput}");
    }

    using JsonDocument json = JsonDocument.Parse(body);
    return (elapsed, json.RootElement.GetProperty("trusts").GetArrayLength(), body.Length);
}

// DevHost's development issuer (the function app validates its RS256 tokens as it would Entra ID's).
async Task<string> TokenAsync(string query)
{
    using HttpResponseMessage response = await http.PostAsync("dev-issuer/token?" + query, null, ct);
    string body = await response.Content.ReadAsStringAsync(ct);
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"POST /dev-issuer/token answered {(int)response.StatusCode}: {body}");
    }

    using JsonDocument json = JsonDocument.Parse(body);
    return json.RootElement.GetProperty("access_token").GetString()!;
}

static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

int Option(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
