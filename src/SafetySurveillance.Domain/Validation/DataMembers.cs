using System.Collections.Frozen;

namespace SafetySurveillance.Domain.Validation;

/// <summary>
/// The members one kind of data object may have, in contract order. Build once per contract and share.
/// </summary>
internal sealed class MemberSet
{
    private readonly FrozenDictionary<string, int> _index;

    public MemberSet(IReadOnlyList<string> names)
    {
        Names = names;
        _index = names.Select((name, i) => (name, i)).ToFrozenDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Names { get; }

    public bool TryIndex(string name, out int index) => _index.TryGetValue(name, out index);
}

/// <summary>
/// Tracks the members of one data object: builds each known member's path, rejects names the contract does
/// not define (unknown properties are rejected, so a misspelt optional field cannot silently vanish), and
/// reports required members that never appeared. Cheap per member, because a hostile object can have tens
/// of thousands of them.
/// </summary>
internal sealed class DataMembers
{
    private readonly string _path;
    private readonly ReadContext _context;
    private readonly MemberSet _members;
    private readonly string _contract;
    private readonly bool[] _seen;

    public DataMembers(string path, ReadContext context, MemberSet members, string contract)
    {
        _path = path;
        _context = context;
        _members = members;
        _contract = contract;
        _seen = new bool[members.Names.Count];
    }

    /// <summary>
    /// For a member the contract defines, records it and gives its path; for any other, reports it as unknown
    /// and returns false.
    /// </summary>
    public bool TryVisit(string name, out string path)
    {
        if (_members.TryIndex(name, out var index))
        {
            _seen[index] = true;
            path = JsonPath.Property(_path, name);
            return true;
        }

        path = string.Empty;
        if (_context.Problems.IsFull)
        {
            _context.Problems.CountUnlisted();
        }
        else
        {
            _context.Add(JsonPath.Property(_path, name), $"is not a property of {_contract}; unknown properties are rejected");
        }

        return false;
    }

    public bool Has(string name) => _members.TryIndex(name, out var index) && _seen[index];

    public void RequireAll(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            Require(name);
        }
    }

    public void Require(string name)
    {
        if (!Has(name))
        {
            _context.Add(JsonPath.Property(_path, name), "is required");
        }
    }
}
