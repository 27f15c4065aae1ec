using System.Globalization;

namespace SafetySurveillance.Benchmarks.Pipeline.Stack;

/// <summary>Reads process facts from /proc (Linux).</summary>
internal static class ProcFs
{
    /// <summary>Clock ticks per second of /proc/{pid}/stat times (USER_HZ, 100 on Linux).</summary>
    public const double TicksPerSecond = 100;

    public static IEnumerable<int> ProcessIds() =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(n => n is { Length: > 0 } && n.All(char.IsAsciiDigit))
            .Select(n => int.Parse(n!, CultureInfo.InvariantCulture));

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    public static int? ParentOf(int pid) => StatFields(pid) is { } fields
        ? int.Parse(fields[1], CultureInfo.InvariantCulture)
        : null;

    /// <summary>User + system CPU time in clock ticks, or null when the process is gone.</summary>
    public static long? CpuTicks(int pid) => StatFields(pid) is { } fields
        ? long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
        : null;

    /// <summary>Resident set size in KiB (VmRSS), or null when the process is gone.</summary>
    public static long? ResidentKibibytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The 1, 5 and 15 minute load averages.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>Fields of /proc/{pid}/stat after the command name: [0] = state, [1] = ppid, [11] = utime, [12] = stime.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
