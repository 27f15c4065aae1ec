using System.Runtime.InteropServices;

namespace SafetySurveillance.LocalServices.Processes;

/// <summary>Sends POSIX signals to child processes (SIGINT for a graceful stop, SIGKILL for crash tests).</summary>
public static partial class PosixSignal
{
    /// <summary>SIGINT: what Ctrl+C sends; Azurite flushes its data only on this signal.</summary>
    public const int Interrupt = 2;

    /// <summary>SIGKILL: the process ends at once, as in <c>kill -9</c>.</summary>
    public const int Kill = 9;

    /// <summary>SIGTERM.</summary>
    public const int Terminate = 15;

    /// <summary>Sends <paramref name="signal"/> to process <paramref name="processId"/>.</summary>
    /// <returns><see langword="true"/> if the signal was delivered.</returns>
    public static bool Send(int processId, int signal)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            throw new PlatformNotSupportedException("POSIX signals need Linux or macOS.");
        }

        return NativeKill(processId, signal) == 0;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int NativeKill(int pid, int sig);
}
