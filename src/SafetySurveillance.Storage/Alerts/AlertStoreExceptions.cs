namespace SafetySurveillance.Storage.Alerts;

/// <summary>
/// The alert (or chart) row changed, was created or was deleted since it was read: the conditional write was refused
/// and nothing was written. Read it again and decide again.
/// </summary>
public sealed class AlertConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AlertConflictException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AlertConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AlertConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for an alert.</summary>
    internal static AlertConflictException For(string key, Exception innerException) => new($"The row {key} changed since it was read; read it again.", innerException);
}

/// <summary>A stored alert or chart row cannot be read by this code (newer schema, malformed value).</summary>
public sealed class AlertFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AlertFormatException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AlertFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AlertFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
