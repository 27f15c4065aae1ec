namespace SafetySurveillance.Functions.SubmitEvents;

/// <summary>What one <c>POST /api/trusts/{ods}/events</c> may carry.</summary>
public static class SubmissionLimits
{
    /// <summary>The most events in one batch request.</summary>
    public const int MaxEvents = 500;

    /// <summary>The largest request body, in UTF-8 bytes: 1 MiB, the Event Hubs message size limit.</summary>
    public const int MaxBodyBytes = 1024 * 1024;
}
