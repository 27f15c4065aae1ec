using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Storage.Signals;

/// <summary>
/// Which rows of one procedure and period a query returns: one scope, every scope of a kind
/// (all trusts, all devices), or every row.
/// </summary>
public readonly record struct SignalScopeFilter
{
    private SignalScopeFilter(SignalScope? scope, SignalScopeKind? kind)
    {
        Scope = scope;
        Kind = kind;
    }

    /// <summary>The one scope asked for, or null for a kind or everything.</summary>
    public SignalScope? Scope { get; }

    /// <summary>The kind asked for (set together with <see cref="Scope"/> too), or null for everything.</summary>
    public SignalScopeKind? Kind { get; }

    /// <summary>Every row of the procedure and period.</summary>
    public static SignalScopeFilter Any => new(null, null);

    /// <summary>Exactly one row.</summary>
    public static SignalScopeFilter Exactly(SignalScope scope)
    {
        if (scope.Kind != SignalScopeKind.National && scope.Value is null)
        {
            throw new ArgumentException("A trust or device scope needs a value.", nameof(scope));
        }

        return new(scope, scope.Kind);
    }

    /// <summary>Every row of one kind: all trusts or all devices (national is one row).</summary>
    public static SignalScopeFilter AllOf(SignalScopeKind kind) =>
        kind == SignalScopeKind.National ? Exactly(SignalScope.National) : new(null, kind);

    /// <summary>Whether a row's scope passes the filter.</summary>
    public bool Matches(SignalScope scope) =>
        Scope is { } exact ? exact == scope : Kind is not { } kind || kind == scope.Kind;

    /// <inheritdoc />
    public override string ToString() => Scope is { } exact
        ? exact.ToString()
        : Kind switch
        {
            SignalScopeKind.Trust => "trust:*",
            SignalScopeKind.Device => "device:*",
            _ => "*",
        };
}
