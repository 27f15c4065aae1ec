using System.Collections.Frozen;

namespace SafetySurveillance.Domain.Validation;

/// <summary>
/// The JSON spelling of each member of a C# enum, in one place, so reading, writing, the JSON Schemas and
/// the drift test all use the same table.
/// </summary>
public sealed class EnumMap<T>
    where T : struct, Enum
{
    private readonly FrozenDictionary<string, T> _byName;
    private readonly FrozenDictionary<T, string> _byValue;

    public EnumMap(params (T Value, string Name)[] entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _byName = entries.ToFrozenDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
        _byValue = entries.ToFrozenDictionary(e => e.Value, e => e.Name);
        Names = entries.Select(e => e.Name).ToArray();
        Listing = string.Join(", ", Names.Select(n => "'" + n + "'"));
        if (_byValue.Count != Enum.GetValues<T>().Length)
        {
            throw new ArgumentException($"Every member of {typeof(T).Name} needs exactly one JSON name.", nameof(entries));
        }
    }

    /// <summary>The JSON names in declaration order.</summary>
    public IReadOnlyList<string> Names { get; }

    internal string Listing { get; }

    public bool TryGet(string name, out T value) => _byName.TryGetValue(name, out value);

    public string NameOf(T value) => _byValue[value];
}
