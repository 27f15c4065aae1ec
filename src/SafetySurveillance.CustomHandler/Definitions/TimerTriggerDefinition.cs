namespace SafetySurveillance.CustomHandler.Definitions;

/// <summary>
/// A <c>timerTrigger</c> binding: <c>{"type":"timerTrigger","name":…,"schedule":"0 */5 * * * *","runOnStartup":false,"useMonitor":true}</c>.
/// The schedule is an NCRONTAB expression with six fields (seconds first) or a <c>%Setting%</c> naming one.
/// </summary>
/// <param name="Name">The binding name (the key of the timer info in <c>Data</c>).</param>
/// <param name="Schedule">The schedule as written in function.json.</param>
/// <param name="RunOnStartup">Invoke once when the host starts (default false).</param>
/// <param name="UseMonitor">Keep the schedule status in storage so a missed occurrence runs late, past due (default true).</param>
public sealed record TimerTriggerDefinition(string Name, string Schedule, bool RunOnStartup, bool UseMonitor)
{
    /// <summary>The binding type.</summary>
    public const string BindingType = "timerTrigger";

    /// <summary>Reads the binding; throws <see cref="FormatException"/> when it is not a timer trigger with a schedule.</summary>
    public static TimerTriggerDefinition From(BindingDefinition binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        if (!string.Equals(binding.Type, BindingType, StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"Binding '{binding.Name}' is a {binding.Type}, not a {BindingType}.");
        }

        var schedule = binding.Get("schedule");
        if (string.IsNullOrWhiteSpace(schedule))
        {
            throw new FormatException($"The {BindingType} binding '{binding.Name}' has no schedule.");
        }

        return new TimerTriggerDefinition(binding.Name, schedule, binding.GetBoolean("runOnStartup") ?? false, binding.GetBoolean("useMonitor") ?? true);
    }

    /// <summary>
    /// The schedule with settings resolved. As the host does, a schedule that is exactly <c>%Name%</c> is the value of
    /// that setting; other <c>%…%</c> parts are expanded too.
    /// </summary>
    public string ResolveSchedule(Func<string, string?> settings) =>
        FunctionAppDefinition.ResolveSettings(Schedule, settings).Trim();
}
