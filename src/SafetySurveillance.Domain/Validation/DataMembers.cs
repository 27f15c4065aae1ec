namespace SafetySurveillance.Domain.Validation;

/// <summary>
/// Tracks the members of one data object: builds each member's path, rejects names the contract does not
/// define (unknown properties are rejected, so a misspelt optional field cannot silently vanish), and
/// reports required members that never appeared.
/// </summary>
internal sealed class DataMembers(string path, ReadContext context)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public string Visit(string name)
    {
        _seen.Add(name);
        return JsonPath.Property(path, name);
    }

    public bool Has(string name) => _seen.Contains(name);

    public void Unknown(string name, string contract) =>
        context.Add(JsonPath.Property(path, name), $"is not a property of {contract}; unknown properties are rejected");

    public void RequireAll(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            Require(name);
        }
    }

    public void Require(string name)
    {
        if (!_seen.Contains(name))
        {
            context.Add(JsonPath.Property(path, name), "is required");
        }
    }
}
