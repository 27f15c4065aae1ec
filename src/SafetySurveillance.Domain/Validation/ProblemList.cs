using System.Globalization;

namespace SafetySurveillance.Domain.Validation;

/// <summary>
/// Collects every problem found while reading one event; validation never stops at the first. A hostile
/// payload could hold thousands of faults, so after <see cref="MaxListed"/> problems the rest are counted
/// and summarised in one final problem.
/// </summary>
internal sealed class ProblemList
{
    public const int MaxListed = 100;

    private List<ValidationProblem>? _problems;
    private int _unlisted;

    public bool IsEmpty => Count == 0;

    /// <summary>All problems seen, listed or not.</summary>
    public int Count => (_problems?.Count ?? 0) + _unlisted;

    /// <summary>True when further problems will only be counted, so callers may skip building their text.</summary>
    public bool IsFull => _problems is { Count: >= MaxListed };

    /// <summary>Counts a problem that would not be listed anyway.</summary>
    public void CountUnlisted() => _unlisted++;

    public void Add(string path, string reason)
    {
        _problems ??= [];
        if (_problems.Count < MaxListed)
        {
            _problems.Add(new ValidationProblem(path, reason));
        }
        else
        {
            _unlisted++;
        }
    }

    public IReadOnlyList<ValidationProblem> ToReadOnlyList()
    {
        if (_problems is null)
        {
            return [];
        }

        if (_unlisted == 0)
        {
            return _problems.ToArray();
        }

        var all = new List<ValidationProblem>(_problems)
        {
            new(JsonPath.Root, string.Create(CultureInfo.InvariantCulture, $"{_unlisted} further problems were found and not listed")),
        };
        return all;
    }
}
