using System.Diagnostics;
using System.Globalization;
using Workbench.Cli.Infrastructure;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench bench startup</c>: whole-process wall time of short commands (<c>--help</c>, <c>inspect</c> of a file),
/// each started <c>runs</c> times after one warm-up run (so the file cache is warm and the figure is the process's own
/// start-up and work), for one executable or, with a baseline, for two executables in the same run, interleaved so that
/// both see the same machine load, and compared as a ratio.
/// </summary>
public static class StartupBench
{
    /// <summary>One command's figures for one executable: minimum and median wall time over the runs, in milliseconds.</summary>
    public sealed record Timing(string Executable, string Command, int Runs, double MinMs, double MedianMs);

    /// <summary>Measures <paramref name="commands"/> for <paramref name="executables"/> (interleaved run by run).</summary>
    /// <exception cref="CommandFailedException">An executable is missing or a command exits non-zero.</exception>
    public static IReadOnlyList<Timing> Run(IReadOnlyList<string> executables, IReadOnlyList<string[]> commands, int runs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(executables);
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        foreach (var exe in executables)
        {
            if (!File.Exists(exe))
            {
                throw new CommandFailedException($"bench startup: {exe} does not exist (build it, or publish it with 'dotnet publish src/Workbench.Cli -c Release -o <dir>')");
            }
        }

        var samples = new List<double>[executables.Count, commands.Count];
        for (var e = 0; e < executables.Count; e++)
        {
            for (var c = 0; c < commands.Count; c++)
            {
                samples[e, c] = new List<double>(runs);
                Once(executables[e], commands[c], ct); // warm-up: file cache, not measured
            }
        }

        for (var r = 0; r < runs; r++)
        {
            for (var c = 0; c < commands.Count; c++)
            {
                for (var e = 0; e < executables.Count; e++)
                {
                    samples[e, c].Add(Once(executables[e], commands[c], ct));
                }
            }
        }

        var result = new List<Timing>();
        for (var e = 0; e < executables.Count; e++)
        {
            for (var c = 0; c < commands.Count; c++)
            {
                var s = samples[e, c];
                s.Sort();
                var median = s.Count % 2 == 1 ? s[s.Count / 2] : (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
                result.Add(new Timing(executables[e], string.Join(' ', commands[c]), runs, s[0], median));
            }
        }

        return result;
    }

    /// <summary>The executable of this process: the apphost, or <c>dotnet</c> when started as <c>dotnet workbench.dll</c>.</summary>
    public static string CurrentExecutable()
    {
        var exe = Environment.ProcessPath ?? throw new CommandFailedException("bench startup: cannot find this process's executable; pass --exe");
        if (exe.EndsWith("dotnet", StringComparison.Ordinal) || exe.EndsWith("dotnet.exe", StringComparison.Ordinal))
        {
            var host = Path.ChangeExtension(typeof(StartupBench).Assembly.Location, OperatingSystem.IsWindows() ? ".exe" : null);
            if (File.Exists(host))
            {
                return host;
            }

            throw new CommandFailedException("bench startup: started through 'dotnet'; pass --exe <path to the workbench executable>");
        }

        return exe;
    }

    private static double Once(string exe, string[] args, CancellationToken ct)
    {
        var start = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["CI"] = "true"; // no progress display in the child
        var clock = Stopwatch.StartNew();
        using var child = Process.Start(start) ?? throw new CommandFailedException($"bench startup: could not start {exe}");
        var stdout = child.StandardOutput.ReadToEndAsync(ct);
        var stderr = child.StandardError.ReadToEndAsync(ct);
        child.WaitForExitAsync(ct).GetAwaiter().GetResult();
        var ms = clock.Elapsed.TotalMilliseconds;
        _ = stdout.GetAwaiter().GetResult();
        if (child.ExitCode != 0)
        {
            var line = stderr.GetAwaiter().GetResult().Trim().Split('\n')[0];
            throw new CommandFailedException(string.Create(CultureInfo.InvariantCulture, $"bench startup: '{exe} {string.Join(' ', args)}' exited {child.ExitCode}: {line}"));
        }

        return ms;
    }
}
