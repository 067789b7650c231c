using System.Text;

namespace Workbench.Notebooks;

/// <summary>
/// Captures <see cref="Console.Out"/> and <see cref="Console.Error"/> per cell without racing other code: once per
/// process the console writers are replaced by routing writers that send text to the sink of the current asynchronous
/// flow (an <see cref="AsyncLocal{T}"/> set by the cell's task) and to the original writer otherwise. Cells of different
/// sessions can thus run concurrently in one process; code a cell starts on threads that do not flow the
/// ExecutionContext (e.g. <c>ThreadPool.UnsafeQueueUserWorkItem</c>) writes to the real console.
/// If someone else replaces the console writers later, the next cell wraps the new ones.
/// </summary>
internal static class ConsoleRouter
{
    private static readonly AsyncLocal<CellSink?> CurrentSink = new();
    private static readonly Lock Gate = new();
    private static TextWriter? _installedOut;
    private static TextWriter? _installedError;

    /// <summary>Routes this async flow's console output to <paramref name="sink"/> (call inside the cell's own task).</summary>
    public static void Route(CellSink sink)
    {
        EnsureInstalled();
        CurrentSink.Value = sink;
    }

    private static void EnsureInstalled()
    {
        lock (Gate)
        {
            if (!ReferenceEquals(Console.Out, _installedOut))
            {
                Console.SetOut(new RoutingWriter(Console.Out, StreamOutput.StdOut));
                _installedOut = Console.Out;
            }

            if (!ReferenceEquals(Console.Error, _installedError))
            {
                Console.SetError(new RoutingWriter(Console.Error, StreamOutput.StdErr));
                _installedError = Console.Error;
            }
        }
    }

    private sealed class RoutingWriter(TextWriter fallback, string stream) : TextWriter
    {
        public override Encoding Encoding => fallback.Encoding;

        public override void Write(char value)
        {
            if (CurrentSink.Value is { } sink)
            {
                sink.WriteStream(stream, value.ToString());
            }
            else
            {
                fallback.Write(value);
            }
        }

        public override void Write(string? value)
        {
            if (value is null)
            {
                return;
            }

            if (CurrentSink.Value is { } sink)
            {
                sink.WriteStream(stream, value);
            }
            else
            {
                fallback.Write(value);
            }
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void WriteLine(string? value) => Write((value ?? string.Empty) + NewLine);

        public override void WriteLine() => Write(NewLine);

        public override void Flush()
        {
            if (CurrentSink.Value is null)
            {
                fallback.Flush();
            }
        }
    }
}
