using SafetySurveillance.Domain.Rules;

namespace SafetySurveillance.Functions.Dashboard;

/// <summary>
/// The rules file the function app ships (<c>config/signal-rules.json</c>, copied beside the app's assembly as
/// <c>signal-rules.json</c>): which signals exist, which of them are funnels and CUSUMs, and their numbers. Used only
/// when no other function registered the rule set.
/// </summary>
public static class SignalRulesFile
{
    /// <summary>The file's path relative to the app's base directory.</summary>
    public const string RelativePath = "signal-rules.json";

    /// <summary>Loads and validates the file; every problem is listed in the exception.</summary>
    /// <exception cref="InvalidOperationException">The file is missing or invalid.</exception>
    public static SignalRuleSet Load(string? baseDirectory = null)
    {
        string path = Path.Combine(baseDirectory ?? AppContext.BaseDirectory, RelativePath);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The signal rules file {path} is missing from the function app.");
        }

        SignalRulesLoadResult result = SignalRulesLoader.Parse(File.ReadAllText(path));
        return result.Rules ?? throw new InvalidOperationException(
            $"The signal rules file {path} is invalid:{Environment.NewLine}{string.Join(Environment.NewLine, result.Problems)}");
    }
}
