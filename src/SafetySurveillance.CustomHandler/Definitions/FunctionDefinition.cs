using System.Text.Json;

namespace SafetySurveillance.CustomHandler.Definitions;

/// <summary>One function: its folder name and the bindings and retry policy from its <c>function.json</c>.</summary>
public sealed record FunctionDefinition(string Name, IReadOnlyList<BindingDefinition> Bindings, RetryPolicyDefinition? Retry)
{
    /// <summary>The function's trigger binding.</summary>
    public BindingDefinition Trigger =>
        Bindings.FirstOrDefault(b => b.IsTrigger)
        ?? throw new InvalidOperationException($"Function '{Name}' has no trigger binding.");

    /// <summary>Reads <c>function.json</c> text.</summary>
    public static FunctionDefinition Parse(string name, string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = document.RootElement;
        var bindings = new List<BindingDefinition>();
        if (root.TryGetProperty("bindings", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            bindings.AddRange(array.EnumerateArray().Select(b => new BindingDefinition(b.Clone())));
        }

        RetryPolicyDefinition? retry = null;
        if (root.TryGetProperty("retry", out var r) && r.ValueKind == JsonValueKind.Object)
        {
            retry = RetryPolicyDefinition.From(r);
        }

        return new FunctionDefinition(name, bindings, retry);
    }
}

/// <summary>One entry of a <c>function.json</c> <c>bindings</c> array. Unknown properties stay readable through <see cref="Get"/>.</summary>
public sealed record BindingDefinition(JsonElement Json)
{
    /// <summary>The binding type, for example <c>eventHubTrigger</c>, <c>httpTrigger</c>, <c>http</c>, <c>timerTrigger</c>, <c>queueTrigger</c>.</summary>
    public string Type => Get("type") ?? "";

    /// <summary><c>in</c> or <c>out</c>.</summary>
    public string Direction => Get("direction") ?? "in";

    /// <summary>The binding name: the key in <c>Data</c> (inputs) or <c>Outputs</c> (outputs).</summary>
    public string Name => Get("name") ?? "";

    /// <summary>Whether this binding triggers the function.</summary>
    public bool IsTrigger => Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase);

    /// <summary>A string property of the binding, or null.</summary>
    public string? Get(string property) =>
        Json.ValueKind == JsonValueKind.Object
        && Json.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, property, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: JsonValueKind.String } found
            ? found.Value.GetString()
            : null;

    /// <summary>A boolean property of the binding (JSON true/false, or the strings "true"/"false"), or null.</summary>
    public bool? GetBoolean(string property) =>
        Json.ValueKind == JsonValueKind.Object
        && Json.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, property, StringComparison.OrdinalIgnoreCase)) is { Value: var value }
            ? value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed) => parsed,
                _ => null,
            }
            : null;

    /// <summary>A string array property of the binding (for example <c>methods</c>), or empty.</summary>
    public IReadOnlyList<string> GetArray(string property) =>
        Json.ValueKind == JsonValueKind.Object
        && Json.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, property, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: JsonValueKind.Array } found
            ? [.. found.Value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];
}

/// <summary>A function-level retry policy (<c>fixedDelay</c> or <c>exponentialBackoff</c>).</summary>
public sealed record RetryPolicyDefinition(string Strategy, int MaxRetryCount, TimeSpan DelayInterval, TimeSpan MinimumInterval, TimeSpan MaximumInterval)
{
    /// <summary>The delay before retry number <paramref name="retryCount"/> (1-based).</summary>
    public TimeSpan DelayBefore(int retryCount)
    {
        if (string.Equals(Strategy, "fixedDelay", StringComparison.OrdinalIgnoreCase))
        {
            return DelayInterval;
        }

        var exponent = Math.Min(Math.Max(retryCount - 1, 0), 30);
        var ticks = Math.Min(MinimumInterval.Ticks * Math.Pow(2, exponent), MaximumInterval.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    internal static RetryPolicyDefinition From(JsonElement json)
    {
        string? S(string name) => json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        TimeSpan T(string name) => S(name) is { } text ? TimeSpan.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : TimeSpan.Zero;
        var max = json.TryGetProperty("maxRetryCount", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt32() : 0;
        return new RetryPolicyDefinition(S("strategy") ?? "fixedDelay", max, T("delayInterval"), T("minimumInterval"), T("maximumInterval"));
    }
}
