using System.Diagnostics;
using System.Text;

namespace Workbench.Tests.Kernel;

/// <summary>What a finished (or killed) child process left behind.</summary>
/// <param name="ExitCode">The exit code (-1 when it had to be killed).</param>
/// <param name="Stdout">Everything it wrote to stdout.</param>
/// <param name="Stderr">Everything it wrote to stderr.</param>
/// <param name="Elapsed">Wall time from start to exit.</param>
/// <param name="TimedOut">True when it overran its timeout and its whole process tree was killed.</param>
internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed, bool TimedOut)
{
    /// <summary>One paragraph for an assertion message: exit code, and the tails of both streams.</summary>
    public string Describe() =>
        $"{(TimedOut ? "timed out after " + Elapsed.TotalSeconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture) + " s and was killed" : "exit code " + ExitCode)}\n" +
        $"--- stdout (tail) ---\n{ChildProcess.Tail(Stdout)}\n--- stderr (tail) ---\n{ChildProcess.Tail(Stderr)}";
}

/// <summary>
/// A child process with both output streams captured as they come, that is killed with its whole tree (kernels
/// included) when it overruns its timeout or is disposed while still running.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(Func<string, bool> Match, bool Stderr, TaskCompletionSource<string> Found)> _waiters = [];

    private ChildProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Received(_stdout, e.Data, stderr: false);
        _process.ErrorDataReceived += (_, e) => Received(_stderr, e.Data, stderr: true);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Stdout so far.</summary>
    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>Stderr so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>; <paramref name="environment"/> entries with a null value are removed.</summary>
    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // a child never waits on the test host's stdin
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        process.StandardInput.Close();
        return new ChildProcess(process);
    }

    /// <summary>Runs a process to its end, or kills its whole tree after <paramref name="timeout"/>.</summary>
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        await using var child = Start(fileName, arguments, workingDirectory, environment);
        return await child.WaitAsync(timeout).ConfigureAwait(false);
    }

    /// <summary>Waits for the process to exit; past <paramref name="timeout"/> kills its whole tree and reports <see cref="ProcessResult.TimedOut"/>.</summary>
    public async Task<ProcessResult> WaitAsync(TimeSpan timeout)
    {
        var timedOut = false;
        using (var cts = new CancellationTokenSource(timeout))
        {
            try
            {
                await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                KillTree();
            }
        }

        // Drains the asynchronous output readers (the process has exited, so this returns promptly).
        await _process.WaitForExitAsync().ConfigureAwait(false);
        return new ProcessResult(timedOut ? -1 : _process.ExitCode, Stdout, Stderr, _clock.Elapsed, timedOut);
    }

    /// <summary>
    /// Waits for the first line (on stdout, or stderr) that <paramref name="match"/> accepts, including lines already
    /// received; fails when the process exits first or after <paramref name="timeout"/>.
    /// </summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, bool stderr = false)
    {
        ArgumentNullException.ThrowIfNull(match);
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            var seen = (stderr ? Stderr : Stdout).Split('\n').FirstOrDefault(match);
            if (seen is not null)
            {
                return seen;
            }

            _waiters.Add((match, stderr, found));
        }

        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(found.Task, exited, Task.Delay(timeout)).ConfigureAwait(false);
        if (first == found.Task)
        {
            return await found.Task.ConfigureAwait(false);
        }

        throw new TimeoutException($"{(first == exited ? "the process exited" : "timed out")} before the line came: {Describe()}");
    }

    /// <summary>Exit state and output tails, for assertion messages.</summary>
    public string Describe() => $"{(_process.HasExited ? "exit code " + _process.ExitCode : "running")}\n--- stdout (tail) ---\n{Tail(Stdout)}\n--- stderr (tail) ---\n{Tail(Stderr)}";

    /// <summary>Kills the process and every descendant, if still running.</summary>
    public void KillTree()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited in between.
        }
    }

    public async ValueTask DisposeAsync()
    {
        KillTree();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Reported by the leftover-process checks of the tests that care.
        }

        _process.Dispose();
    }

    /// <summary>The last 3,000 characters of <paramref name="text"/>.</summary>
    public static string Tail(string text) => text.Length <= 3000 ? text : "…" + text[^3000..];

    private void Received(StringBuilder sink, string? line, bool stderr)
    {
        lock (_waiters)
        {
            Append(sink, line);
            if (line is null)
            {
                return;
            }

            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Stderr == stderr && _waiters[i].Match(line))
                {
                    _waiters[i].Found.TrySetResult(line);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private static void Append(StringBuilder sink, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (sink)
        {
            sink.Append(line).Append('\n');
        }
    }
}
