using System.ComponentModel.DataAnnotations;

namespace SafetySurveillance.Functions.EvaluateSignals;

/// <summary>Where the signal rules file is (section <c>SignalRules</c>).</summary>
public sealed class SignalRulesOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "SignalRules";

    /// <summary>
    /// The rules file: absolute, or relative to the app's folder. Default <c>signal-rules.json</c>, the copy of
    /// <c>config/signal-rules.json</c> that the build puts beside the app.
    /// </summary>
    [Required]
    public string Path { get; set; } = "signal-rules.json";

    /// <summary>The absolute path of the file.</summary>
    public string FullPath => System.IO.Path.IsPathRooted(Path) ? Path : System.IO.Path.Combine(AppContext.BaseDirectory, Path);
}
