using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafetySurveillance.CustomHandler.Invocation;

/// <summary>The <c>sys</c> entry the host adds to every invocation's <c>Metadata</c>.</summary>
/// <param name="MethodName">The function name.</param>
/// <param name="UtcNow">When the invocation was made (UTC).</param>
/// <param name="RandGuid">A new random id per invocation.</param>
public sealed record SystemBindingData(
    [property: JsonPropertyName("MethodName")] string MethodName,
    [property: JsonPropertyName("UtcNow")] DateTime UtcNow,
    [property: JsonPropertyName("RandGuid")] Guid RandGuid)
{
    /// <summary>The metadata key.</summary>
    public const string Key = "sys";

    /// <summary>Adds this entry to <paramref name="request"/>'s metadata.</summary>
    public InvocationRequest AddTo(InvocationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Metadata[Key] = JsonSerializer.SerializeToElement(this, CustomHandlerJson.Options.GetTypeInfo<SystemBindingData>());
        return request;
    }
}
