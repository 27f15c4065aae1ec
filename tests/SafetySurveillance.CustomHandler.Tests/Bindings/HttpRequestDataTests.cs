using System.Text.Json;
using SafetySurveillance.CustomHandler;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.CustomHandler.Invocation;
using Xunit;

namespace SafetySurveillance.CustomHandler.Tests.Bindings;

public sealed class HttpRequestDataTests
{
    private static InvocationRequest Request(string req) =>
        JsonSerializer.Deserialize<InvocationRequest>($$"""{ "Data": { "req": {{req}} }, "Metadata": {} }""", CustomHandlerJson.Options)!;

    [Fact]
    public void Headers_are_found_whatever_their_case()
    {
        var data = HttpRequestData.From(Request("""{ "Url": "http://x/api/a", "Method": "POST", "Headers": { "Content-Type": ["application/json"] }, "Body": "{}" }"""))!;

        Assert.Equal("application/json", data.Header("content-type"));
        Assert.Equal("POST", data.Method);
        Assert.Equal("{}", data.Body);
    }

    [Fact]
    public void Query_and_params_written_as_JSON_strings_are_read()
    {
        var data = HttpRequestData.From(Request("""{ "Url": "http://x/api/a?scope=national", "Method": "GET", "Query": "{\"scope\":\"national\"}", "Params": "{\"ods\":\"RX1\"}", "Headers": { "x-trust-key": "k" } }"""))!;

        Assert.Equal("national", data.Query["SCOPE"]);
        Assert.Equal("RX1", data.Params["ods"]);
        Assert.Equal("k", data.Header("X-Trust-Key"));
        Assert.Null(data.Body);
    }
}
