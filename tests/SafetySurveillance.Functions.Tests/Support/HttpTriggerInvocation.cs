using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace SafetySurveillance.Functions.Tests.Support;

/// <summary>What the handler put in <c>Outputs.res</c> for an HTTP-triggered invocation, and its log lines.</summary>
public sealed record HttpOutput(int StatusCode, string? Body, IReadOnlyDictionary<string, string> Headers, IReadOnlyList<string> Logs);

/// <summary>Invokes an HTTP-triggered function as the Functions host does: <c>POST /{function}</c> with the request in <c>Data.req</c>.</summary>
public static class HttpTriggerInvocation
{
    /// <summary>Posts the invocation, fails the test on a non-2xx answer, and returns the <c>res</c> output.</summary>
    public static async Task<HttpOutput> PostAsync(HttpClient handler, string function, JsonObject request, CancellationToken cancellationToken)
    {
        var invocation = new JsonObject
        {
            ["Data"] = new JsonObject { ["req"] = request },
            ["Metadata"] = new JsonObject(),
        };

        using var response = await handler.PostAsJsonAsync("/" + function, invocation, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"The invocation failed: {(int)response.StatusCode} {text}");
        var envelope = JsonNode.Parse(text)!;
        var res = envelope["Outputs"]!["res"]!;
        var headers = res["headers"]?.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.OrdinalIgnoreCase)
            ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        return new HttpOutput((int)res["statusCode"]!, (string?)res["body"], headers, envelope["Logs"]!.AsArray().Select(l => (string)l!).ToList());
    }
}
