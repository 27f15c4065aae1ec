using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Storage.Signals;

/// <summary>
/// A signal row kept changing under this writer for every allowed attempt. Nothing is lost: rows already written
/// carry their watermarks, so the caller fails the invocation and the whole batch is retried.
/// </summary>
public sealed class SignalWriteConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SignalWriteConflictException(SignalKey key, int attempts, Exception innerException)
        : base($"The signal row {key} changed under this writer {attempts} times in a row; the batch must be retried.", innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SignalWriteConflictException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public SignalWriteConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SignalWriteConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A stored signal row cannot be read by this code (newer schema, malformed value, foreign key), or a row cannot be stored.</summary>
public sealed class SignalRowFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SignalRowFormatException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public SignalRowFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SignalRowFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
