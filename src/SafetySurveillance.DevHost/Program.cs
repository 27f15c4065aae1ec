using SafetySurveillance.DevHost;

var builder = WebApplication.CreateBuilder(args);
var app = await DevHostApplication.BuildAsync(builder).ConfigureAwait(false);
await app.RunAsync().ConfigureAwait(false);
