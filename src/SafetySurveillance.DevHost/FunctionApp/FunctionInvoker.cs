using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Definitions;
using SafetySurveillance.CustomHandler.Invocation;

namespace SafetySurveillance.DevHost.FunctionApp;

/// <summary>A custom handler invocation failed: a non-2xx answer, an unreadable answer, or no answer.</summary>
public sealed class FunctionInvocationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FunctionInvocationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public FunctionInvocationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public FunctionInvocationException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// Invokes functions over the custom handler contract (<c>POST /{FunctionName}</c> with Data and Metadata), with the
/// host's headers, and applies a function's retry policy as the Functions host does (adding <c>Metadata.RetryContext</c>).
/// </summary>
public sealed partial class FunctionInvoker
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates an invoker that sends to <paramref name="http"/>'s base address.</summary>
    public FunctionInvoker(HttpClient http, TimeProvider time, ILogger<FunctionInvoker> logger)
    {
        _http = http;
        _time = time;
        _logger = logger;
    }

    /// <summary>Invokes once; throws <see cref="FunctionInvocationException"/> on any failure.</summary>
    public async Task<InvocationResponse> InvokeAsync(string functionName, InvocationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = new HttpRequestMessage(HttpMethod.Post, functionName) { Content = Serialize(request) };
        message.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        message.Headers.Add("X-Azure-Functions-HostVersion", "4.0.0-devhost");
        message.Headers.UserAgent.ParseAdd("Azure-Functions-Host/4.0.0-devhost");

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new FunctionInvocationException($"{functionName}: the function app did not answer ({ex.Message}).", ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new FunctionInvocationException($"{functionName}: the function app answered {(int)response.StatusCode}: {Truncate(body)}");
            }

            InvocationResponse? result;
            try
            {
                result = JsonSerializer.Deserialize(body, CustomHandlerJson.Options.GetTypeInfo<InvocationResponse>());
            }
            catch (JsonException ex)
            {
                throw new FunctionInvocationException($"{functionName}: the answer is not an invocation response: {Truncate(body)}", ex);
            }

            result ??= new InvocationResponse();
            foreach (var line in result.Logs)
            {
                LogFunctionLine(_logger, functionName, line);
            }

            return result;
        }
    }

    /// <summary>
    /// Invokes, and on failure retries under the function's retry policy (none: no retry). Returns the last answer,
    /// or null when every try failed — the caller then behaves as the host does for its trigger.
    /// </summary>
    public async Task<InvocationResponse?> InvokeWithRetriesAsync(FunctionDefinition function, InvocationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(request);
        var retry = function.Retry;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await InvokeAsync(function.Name, request, cancellationToken).ConfigureAwait(false);
            }
            catch (FunctionInvocationException ex)
            {
                if (retry is null || (retry.MaxRetryCount >= 0 && attempt >= retry.MaxRetryCount))
                {
                    LogGaveUp(_logger, ex, function.Name, attempt + 1);
                    return null;
                }

                var retryCount = attempt + 1;
                request.Metadata["RetryContext"] = JsonSerializer.SerializeToElement(
                    new RetryContext(retryCount, retry.MaxRetryCount, JsonSerializer.SerializeToElement(new { Message = ex.Message })),
                    CustomHandlerJson.Options);
                var delay = retry.DelayBefore(retryCount);
                LogRetrying(_logger, function.Name, retryCount, delay, ex.Message);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The request's JSON, its values copied as they are (see <see cref="InvocationRequest.WriteTo"/>).</summary>
    private static HttpContent Serialize(InvocationRequest request)
    {
        // Sized from the values' JSON text, so the buffer is allocated once (a batch of 1000 events is about a megabyte).
        var size = 64;
        foreach (var (name, value) in request.Data.Concat(request.Metadata))
        {
            size += name.Length + 8 + (value.ValueKind == JsonValueKind.Undefined ? 4 : System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value).Length);
        }

        var body = new ArrayBufferWriter<byte>(size);
        using (var writer = new Utf8JsonWriter(body))
        {
            request.WriteTo(writer);
        }

        var content = new ReadOnlyMemoryContent(body.WrittenMemory);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500] + "…";

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "{Function}: {Line}")]
    private static partial void LogFunctionLine(ILogger logger, string function, string line);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "{Function} failed; retry {RetryCount} in {Delay}: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string function, int retryCount, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "{Function} failed after {Attempts} attempt(s)")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, string function, int attempts);
}
