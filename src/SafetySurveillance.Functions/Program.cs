using System.Net;
using SafetySurveillance.Functions.Access;
using SafetySurveillance.Functions.Alerts;
using SafetySurveillance.Functions.Configuration;
using SafetySurveillance.Functions.Dashboard;
using SafetySurveillance.Functions.DispatchGovernanceAlerts;
using SafetySurveillance.Functions.EvaluateSignals;
using SafetySurveillance.Functions.GetSignals;
using SafetySurveillance.Functions.Hosting;
using SafetySurveillance.Functions.IngestSafetyEvents;
using SafetySurveillance.Functions.SubmitEvents;

// An Azure Functions custom handler: the Functions host starts this program (host.json), passes the port in
// FUNCTIONS_CUSTOMHANDLER_PORT and calls POST /{FunctionName} for every invocation.
var builder = WebApplication.CreateSlimBuilder(args);
var port = CustomHandlerPort.Resolve(builder.Configuration);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
// The Functions host copies the handler's console output into its own log: keep per-request noise out.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Services.AddSingleton(TimeProvider.System);
builder.AddFunctionAppOptions();
builder.AddCallerAuthentication();
builder.AddSubmitEvents();
builder.AddSignalStorage();
builder.AddSafetyEventIngestion();
builder.AddSignalEvaluation();
builder.AddAlertsApi();
// After AddSignalEvaluation: the dashboard reads the same rule set (SignalRules:Path).
builder.AddDashboard();
builder.AddGovernanceAlertDispatch();
builder.Services.AddHostedService<ParentProcessWatch>();

var app = builder.Build();
app.MapCustomHandler();
await app.RunAsync().ConfigureAwait(false);

/// <summary>The program; public so tests can host it with <c>WebApplicationFactory</c>.</summary>
public partial class Program;
