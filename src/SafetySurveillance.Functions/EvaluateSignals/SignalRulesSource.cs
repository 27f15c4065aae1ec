using Microsoft.Extensions.Options;
using SafetySurveillance.Domain.Rules;

namespace SafetySurveillance.Functions.EvaluateSignals;

/// <summary>The rules file could not be read, or holds problems: the app must not start with rules it cannot trust.</summary>
public sealed class SignalRulesFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SignalRulesFileException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public SignalRulesFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SignalRulesFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Loads and validates the rules file named by <c>SignalRules:Path</c>, listing every problem. Registered as the app's one
/// <see cref="SignalRuleSet"/> and resolved at start-up (<see cref="EvaluationStartup"/>), so a bad file stops the app.
/// </summary>
public static class SignalRulesSource
{
    /// <summary>Reads <paramref name="options"/>' file; throws with every problem when it is missing or invalid.</summary>
    public static SignalRuleSet Load(IOptions<SignalRulesOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string path = options.Value.FullPath;
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SignalRulesFileException($"The signal rules file '{path}' (setting SignalRules__Path) cannot be read: {ex.Message}", ex);
        }

        SignalRulesLoadResult result = SignalRulesLoader.Parse(json);
        return result.Rules ?? throw new SignalRulesFileException(
            $"The signal rules file '{path}' has {result.Problems.Count} problem(s):{Environment.NewLine}" + string.Join(Environment.NewLine, result.Problems));
    }
}
