namespace SafetySurveillance.LocalServices.Maildev;

/// <summary>maildev could not be started; the message carries what it printed.</summary>
public sealed class MaildevStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MaildevStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public MaildevStartException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public MaildevStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
