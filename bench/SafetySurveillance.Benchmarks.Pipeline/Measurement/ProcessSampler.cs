using System.Diagnostics;
using SafetySurveillance.Benchmarks.Pipeline.Stack;

namespace SafetySurveillance.Benchmarks.Pipeline.Measurement;

/// <summary>One process watched during the run.</summary>
/// <param name="Name">What it is.</param>
/// <param name="Find">Its current pid (re-resolved when the process is gone, e.g. a restarted function app); 0 when none.</param>
internal sealed record WatchedProcess(string Name, Func<int> Find);

/// <summary>Figures for one process over the measured window.</summary>
internal sealed record ProcessFigures(string Name, int ProcessId, long MaxRssKib, long FinalRssKib, double CpuSeconds, double WindowSeconds)
{
    /// <summary>Average share of one core over the window (200% = both cores of a 2-core machine).</summary>
    public double CpuPercent => WindowSeconds > 0 ? 100 * CpuSeconds / WindowSeconds : 0;
}

/// <summary>
/// Samples VmRSS (/proc/{pid}/status) and user+system CPU time (/proc/{pid}/stat) of each watched process
/// every <c>interval</c>; CPU time is the sum of deltas between samples of the same pid, so a restarted process
/// is counted across its lives.
/// </summary>
internal sealed class ProcessSampler
{
    private readonly IReadOnlyList<WatchedProcess> _processes;
    private readonly State[] _states;
    private readonly Lock _gate = new();
    private long _windowStart;
    private long _windowEnd;

    public ProcessSampler(IReadOnlyList<WatchedProcess> processes)
    {
        _processes = processes;
        _states = [.. processes.Select(_ => new State())];
    }

    /// <summary>Opens the measured window: CPU and maximum RSS count from here.</summary>
    public void StartWindow()
    {
        Sample();
        lock (_gate)
        {
            foreach (var state in _states)
            {
                state.CpuTicks = 0;
                state.MaxRssKib = state.LastRssKib;
            }

            _windowStart = Stopwatch.GetTimestamp();
            _windowEnd = 0;
        }
    }

    /// <summary>Closes the measured window (takes a last sample first).</summary>
    public void EndWindow()
    {
        Sample();
        lock (_gate)
        {
            _windowEnd = Stopwatch.GetTimestamp();
        }
    }

    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                Sample();
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    public IReadOnlyList<ProcessFigures> Figures()
    {
        lock (_gate)
        {
            var end = _windowEnd != 0 ? _windowEnd : Stopwatch.GetTimestamp();
            var seconds = _windowStart == 0 ? 0 : Stopwatch.GetElapsedTime(_windowStart, end).TotalSeconds;
            return [.. _processes.Select((p, i) => new ProcessFigures(
                p.Name, _states[i].Pid, _states[i].MaxRssKib, _states[i].LastRssKib, _states[i].CpuTicks / ProcFs.TicksPerSecond, seconds))];
        }
    }

    private void Sample()
    {
        lock (_gate)
        {
            if (_windowEnd != 0)
            {
                return;
            }

            for (var i = 0; i < _processes.Count; i++)
            {
                var state = _states[i];
                var pid = state.Pid;
                var ticks = pid == 0 ? null : ProcFs.CpuTicks(pid);
                if (ticks is null)
                {
                    pid = _processes[i].Find();
                    state.Pid = pid;
                    state.LastTicks = null;
                    ticks = pid == 0 ? null : ProcFs.CpuTicks(pid);
                }

                if (ticks is not { } now)
                {
                    continue;
                }

                if (state.LastTicks is { } before)
                {
                    state.CpuTicks += now - before;
                }

                state.LastTicks = now;
                if (ProcFs.ResidentKibibytes(pid) is { } rss)
                {
                    state.LastRssKib = rss;
                    state.MaxRssKib = Math.Max(state.MaxRssKib, rss);
                }
            }
        }
    }

    private sealed class State
    {
        public int Pid { get; set; }

        public long? LastTicks { get; set; }

        public long CpuTicks { get; set; }

        public long LastRssKib { get; set; }

        public long MaxRssKib { get; set; }
    }
}
