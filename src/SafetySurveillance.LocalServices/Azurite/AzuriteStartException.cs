namespace SafetySurveillance.LocalServices.Azurite;

/// <summary>Azurite could not be started; the message carries what it printed.</summary>
public sealed class AzuriteStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AzuriteStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AzuriteStartException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AzuriteStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
