using System.Globalization;

namespace Workbench.Kernel;

/// <summary>
/// The kernel's log: one line per event on standard error (Jupyter front ends show a kernel's stderr in their own
/// log). Rejected messages are always logged; per-message tracing only when verbose.
/// </summary>
public sealed class KernelLog(TextWriter writer, bool verbose, TimeProvider clock)
{
    private readonly Lock _gate = new();

    /// <summary>True when per-message tracing is on.</summary>
    public bool Verbose { get; } = verbose;

    /// <summary>Writes one line: time, level, text.</summary>
    public void Write(string level, string text)
    {
        lock (_gate)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[workbench-kernel {clock.GetUtcNow():HH:mm:ss.fff} {level}] {text}"));
            writer.Flush();
        }
    }

    /// <summary>An informational line.</summary>
    public void Info(string text) => Write("info", text);

    /// <summary>A warning (e.g. a rejected message).</summary>
    public void Warn(string text) => Write("warn", text);

    /// <summary>A trace line, only when <see cref="Verbose"/>.</summary>
    public void Trace(string text)
    {
        if (Verbose)
        {
            Write("trace", text);
        }
    }
}
