using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Definitions;
using SafetySurveillance.CustomHandler.Invocation;
using SafetySurveillance.DevHost.FunctionApp;

namespace SafetySurveillance.DevHost.Http;

/// <summary>
/// Serves HTTP-triggered functions as the Functions host does: <c>/{routePrefix}/{route}</c> with the methods from
/// function.json; the request goes to the handler as <c>Data.{trigger name}</c> and the answer comes from the
/// <c>http</c> output binding (or <c>$return</c>). With <c>enableForwardingHttpRequest</c>, HTTP-only functions get the
/// original request instead.
/// </summary>
public static class HttpTriggerEndpoints
{
    /// <summary>Maps one endpoint per HTTP-triggered function.</summary>
    public static IEndpointRouteBuilder MapHttpTriggers(this IEndpointRouteBuilder endpoints, FunctionAppDefinition app, Func<FunctionInvoker> invoker, Func<HttpClient> forwarder)
    {
        ArgumentNullException.ThrowIfNull(app);
        foreach (var function in app.Functions.Where(f => f.Bindings.Any(b => b.IsTrigger && string.Equals(b.Type, "httpTrigger", StringComparison.OrdinalIgnoreCase))))
        {
            var trigger = function.Trigger;
            var route = trigger.Get("route") ?? function.Name;
            var pattern = "/" + string.Join('/', new[] { app.Host.HttpRoutePrefix.Trim('/'), route.Trim('/') }.Where(s => s.Length > 0));
            var methods = trigger.GetArray("methods").Select(m => m.ToUpperInvariant()).ToArray();
            var output = function.Bindings.FirstOrDefault(b => !b.IsTrigger && string.Equals(b.Type, "http", StringComparison.OrdinalIgnoreCase) && b.Direction == "out");
            var forward = app.Host.EnableForwardingHttpRequest && function.Bindings.Count == 2 && output is not null;
            RequestDelegate handler = forward
                ? context => ForwardAsync(context, forwarder())
                : context => InvokeAsync(context, function, trigger.Name, output?.Name ?? "$return", invoker());
            if (methods.Length == 0)
            {
                endpoints.Map(pattern, handler).WithDisplayName(function.Name);
            }
            else
            {
                endpoints.MapMethods(pattern, methods, handler).WithDisplayName(function.Name);
            }
        }

        return endpoints;
    }

    private static async Task InvokeAsync(HttpContext context, FunctionDefinition function, string triggerName, string outputName, FunctionInvoker invoker)
    {
        var request = await ToRequestDataAsync(context).ConfigureAwait(false);
        var invocation = new InvocationRequest();
        invocation.Data[triggerName] = JsonSerializer.SerializeToElement(request, CustomHandlerJson.Options);
        foreach (var (name, value) in request.Params)
        {
            invocation.Metadata[name] = JsonSerializer.SerializeToElement(value);
        }

        invocation.Metadata["Query"] = JsonSerializer.SerializeToElement(request.Query);
        invocation.Metadata["Headers"] = JsonSerializer.SerializeToElement(request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value)));

        InvocationResponse answer;
        try
        {
            answer = await invoker.InvokeAsync(function.Name, invocation, context.RequestAborted).ConfigureAwait(false);
        }
        catch (FunctionInvocationException)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        JsonElement? output = outputName == "$return"
            ? answer.ReturnValue
            : answer.Outputs.TryGetValue(outputName, out var o) ? o : null;
        await WriteOutputAsync(context, output).ConfigureAwait(false);
    }

    private static async Task<HttpRequestData> ToRequestDataAsync(HttpContext context)
    {
        string? body = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        var data = new HttpRequestData
        {
            Url = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}",
            Method = context.Request.Method,
            Body = body,
        };
        foreach (var (key, values) in context.Request.Query)
        {
            data.Query[key] = values.ToString();
        }

        foreach (var (key, values) in context.Request.Headers)
        {
            data.Headers[key] = [.. values.Select(v => v ?? "")];
        }

        foreach (var (key, value) in context.Request.RouteValues)
        {
            data.Params[key] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        }

        return data;
    }

    private static async Task WriteOutputAsync(HttpContext context, JsonElement? output)
    {
        if (output is not { ValueKind: JsonValueKind.Object } value)
        {
            context.Response.StatusCode = output is null ? StatusCodes.Status204NoContent : StatusCodes.Status200OK;
            if (output is { } raw)
            {
                await context.Response.WriteAsync(raw.ValueKind == JsonValueKind.String ? raw.GetString()! : raw.GetRawText(), context.RequestAborted).ConfigureAwait(false);
            }

            return;
        }

        JsonElement? Property(string name) =>
            value.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: not JsonValueKind.Undefined } found ? found.Value : null;

        var status = Property("statusCode") ?? Property("status");
        context.Response.StatusCode = status switch
        {
            { ValueKind: JsonValueKind.Number } n => n.GetInt32(),
            { ValueKind: JsonValueKind.String } s when int.TryParse(s.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) => code,
            _ => StatusCodes.Status200OK,
        };
        if (Property("headers") is { ValueKind: JsonValueKind.Object } headers)
        {
            foreach (var header in headers.EnumerateObject())
            {
                context.Response.Headers[header.Name] = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString() : header.Value.GetRawText();
            }
        }

        switch (Property("body"))
        {
            case { ValueKind: JsonValueKind.String } text:
                await context.Response.WriteAsync(text.GetString()!, context.RequestAborted).ConfigureAwait(false);
                break;
            case { ValueKind: JsonValueKind.Object or JsonValueKind.Array } json:
                if (!context.Response.Headers.ContainsKey("Content-Type"))
                {
                    context.Response.ContentType = "application/json; charset=utf-8";
                }

                await context.Response.WriteAsync(json.GetRawText(), context.RequestAborted).ConfigureAwait(false);
                break;
            default:
                break;
        }
    }

    private static async Task ForwardAsync(HttpContext context, HttpClient handler)
    {
        using var message = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path + context.Request.QueryString);
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            message.Content = new StreamContent(context.Request.Body);
        }

        foreach (var (key, values) in context.Request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(key, values.ToArray()))
            {
                message.Content?.Headers.TryAddWithoutValidation(key, values.ToArray());
            }
        }

        using var response = await handler.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (key, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!string.Equals(key, "Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[key] = values.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
