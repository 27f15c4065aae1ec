using System.Diagnostics.CodeAnalysis;
using SafetySurveillance.Domain.Validation;

namespace SafetySurveillance.Domain.Events;

/// <summary>
/// The outcome of reading one message: either a validated event, or every problem found. For rejected
/// messages <see cref="Id"/> and <see cref="Source"/> are given when they themselves were valid, so a
/// dead-letter row can say which event it was.
/// </summary>
public sealed class SafetyEventReadResult
{
    private SafetyEventReadResult(ValidatedSafetyEvent? validated, IReadOnlyList<ValidationProblem> problems, string? id, string? source)
    {
        Event = validated;
        Problems = problems;
        Id = id;
        Source = source;
    }

    [MemberNotNullWhen(true, nameof(Event))]
    public bool IsValid => Event is not null;

    public ValidatedSafetyEvent? Event { get; }

    /// <summary>Every problem found; empty when <see cref="IsValid"/>.</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; }

    /// <summary>The CloudEvents id, when it was present and well-formed.</summary>
    public string? Id { get; }

    /// <summary>The CloudEvents source, when it was present and well-formed.</summary>
    public string? Source { get; }

    internal static SafetyEventReadResult Valid(ValidatedSafetyEvent validated) =>
        new(validated, [], validated.Envelope.Id, validated.Envelope.Source);

    internal static SafetyEventReadResult Invalid(IReadOnlyList<ValidationProblem> problems, string? id, string? source) =>
        new(null, problems, id, source);
}
