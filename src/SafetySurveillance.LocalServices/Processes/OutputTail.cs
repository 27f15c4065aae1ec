namespace SafetySurveillance.LocalServices.Processes;

/// <summary>Keeps the last lines a child process printed, for failure messages.</summary>
public sealed class OutputTail
{
    private readonly Queue<string> _lines = new();
    private readonly int _capacity;
    private readonly Lock _gate = new();

    /// <summary>Creates a tail that keeps <paramref name="capacity"/> lines.</summary>
    public OutputTail(int capacity = 200) => _capacity = capacity;

    /// <summary>Adds a line (null lines, which mark the end of a stream, are ignored).</summary>
    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Enqueue(line);
            while (_lines.Count > _capacity)
            {
                _lines.Dequeue();
            }
        }
    }

    /// <inheritdoc />
    public override string ToString()
    {
        lock (_gate)
        {
            return string.Join(Environment.NewLine, _lines);
        }
    }
}
