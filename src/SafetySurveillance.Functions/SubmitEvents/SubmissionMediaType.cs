namespace SafetySurveillance.Functions.SubmitEvents;

/// <summary>The two request body forms the gateway accepts (CloudEvents HTTP protocol binding, structured and batched modes).</summary>
public enum SubmissionMediaType
{
    /// <summary><c>application/cloudevents+json</c>: one structured CloudEvent.</summary>
    Single,

    /// <summary><c>application/cloudevents-batch+json</c>: a JSON array of structured CloudEvents.</summary>
    Batch,
}

/// <summary>Reads a <c>Content-Type</c> header value into a <see cref="SubmissionMediaType"/>.</summary>
public static class SubmissionMediaTypes
{
    /// <summary>The media type of one event.</summary>
    public const string Single = "application/cloudevents+json";

    /// <summary>The media type of a batch.</summary>
    public const string Batch = "application/cloudevents-batch+json";

    /// <summary>True for the two accepted media types with no charset or a UTF-8 charset; parameters are otherwise ignored.</summary>
    public static bool TryParse(string? contentType, out SubmissionMediaType mediaType)
    {
        mediaType = default;
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return false;
        }

        var parts = contentType.Split(';', StringSplitOptions.TrimEntries);
        foreach (var parameter in parts.Skip(1))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && parameter.AsSpan(0, equals).Trim().Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                var charset = parameter[(equals + 1)..].Trim().Trim('"');
                if (!charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }
        }

        if (parts[0].Equals(Single, StringComparison.OrdinalIgnoreCase))
        {
            mediaType = SubmissionMediaType.Single;
            return true;
        }

        if (parts[0].Equals(Batch, StringComparison.OrdinalIgnoreCase))
        {
            mediaType = SubmissionMediaType.Batch;
            return true;
        }

        return false;
    }
}
