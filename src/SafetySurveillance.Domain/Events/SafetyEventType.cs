namespace SafetySurveillance.Domain.Events;

/// <summary>The kinds of event a trust may send. Each has one supported version, <c>.v1</c>.</summary>
public enum SafetyEventType
{
    ProcedurePerformed,
    OutcomeReported,
    AdverseEventReported,
}

/// <summary>The CloudEvents <c>type</c> strings, and how an unsupported one is explained.</summary>
public static class SafetyEventTypes
{
    public const string Prefix = "uk.nhs.neuromodulation.";

    public const string ProcedurePerformedV1 = "uk.nhs.neuromodulation.procedure-performed.v1";
    public const string OutcomeReportedV1 = "uk.nhs.neuromodulation.outcome-reported.v1";
    public const string AdverseEventReportedV1 = "uk.nhs.neuromodulation.adverse-event-reported.v1";

    /// <summary>Every supported type string, in the order of <see cref="SafetyEventType"/>.</summary>
    public static IReadOnlyList<string> All { get; } = [ProcedurePerformedV1, OutcomeReportedV1, AdverseEventReportedV1];

    public static string TypeString(SafetyEventType type) => type switch
    {
        SafetyEventType.ProcedurePerformed => ProcedurePerformedV1,
        SafetyEventType.OutcomeReported => OutcomeReportedV1,
        SafetyEventType.AdverseEventReported => AdverseEventReportedV1,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown event type."),
    };

    /// <summary>Recognises a supported type, or explains why <paramref name="type"/> is not one.</summary>
    public static bool TryParse(string type, out SafetyEventType result, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(type);
        reason = null;
        switch (type)
        {
            case ProcedurePerformedV1:
                result = SafetyEventType.ProcedurePerformed;
                return true;
            case OutcomeReportedV1:
                result = SafetyEventType.OutcomeReported;
                return true;
            case AdverseEventReportedV1:
                result = SafetyEventType.AdverseEventReported;
                return true;
        }

        result = default;
        if (type.StartsWith(Prefix, StringComparison.Ordinal))
        {
            var rest = type.AsSpan(Prefix.Length);
            foreach (var name in (ReadOnlySpan<string>)["procedure-performed", "outcome-reported", "adverse-event-reported"])
            {
                if (rest.SequenceEqual(name))
                {
                    reason = $"'{Prefix}{name}' has no version; the supported type is '{Prefix}{name}.v1'";
                    return false;
                }

                if (rest.StartsWith(name + ".", StringComparison.Ordinal))
                {
                    var version = rest[(name.Length + 1)..].ToString();
                    reason = $"version {Validation.Echo.Quoted(version)} of '{Prefix}{name}' is not supported; the supported version is 'v1'";
                    return false;
                }
            }
        }

        reason = $"{Validation.Echo.Quoted(type)} is not a known event type; expected one of '{ProcedurePerformedV1}', '{OutcomeReportedV1}', '{AdverseEventReportedV1}'";
        return false;
    }
}
