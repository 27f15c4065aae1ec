using System.Diagnostics;

namespace SafetySurveillance.LocalServices.Processes;

/// <summary>Starts child processes in their own session, so a Ctrl+C in the terminal reaches only the parent,
/// which then stops its children in the right order (the function app before the services, Azurite with SIGINT).</summary>
public static class ProcessGroups
{
    private const string SetsidPath = "/usr/bin/setsid";

    /// <summary>Creates start info for <paramref name="fileName"/> in a new session when <c>setsid</c> is available.
    /// <c>setsid</c> replaces itself with the program, so the process id is the program's.</summary>
    public static ProcessStartInfo NewSession(string fileName)
    {
        if (!File.Exists(SetsidPath))
        {
            return new ProcessStartInfo(fileName);
        }

        var start = new ProcessStartInfo(SetsidPath);
        start.ArgumentList.Add(fileName);
        return start;
    }
}
