using System.Text;

namespace Workbench.Notebooks;

/// <summary>
/// Captures <see cref="Console.Out"/> and <see cref="Console.Error"/> per cell without racing other code: once per
/// process the console writers are replaced by routing writers that send text to the sink of the current asynchronous
/// flow (an <see cref="AsyncLocal{T}"/> set by the cell's task) and to the original writer otherwise. Cells of different
/// sessions can thus run concurrently in one process; code a cell starts on threads that do not flow the
/// ExecutionContext (e.g. <c>ThreadPool.UnsafeQueueUserWorkItem</c>) writes to the real console.
/// If someone else replaces the console writers later, the next cell wraps the new ones.
/// <see cref="Console.In"/> is replaced the same way: inside a cell, <c>Console.ReadLine()</c>/<c>Read()</c> ask the
/// cell's front end (<see cref="CellExecutionOptions.ReadInput"/>, through <see cref="CellSink.ReadLine"/>); elsewhere they
/// read the process's standard input. The original reader is never touched before it is needed (reading
/// <see cref="Console.In"/> would set up the terminal), so the fallback is a plain reader over the standard input stream.
/// </summary>
internal static class ConsoleRouter
{
    private static readonly AsyncLocal<CellSink?> CurrentSink = new();
    private static readonly Lock Gate = new();
    private static TextWriter? _installedOut;
    private static TextWriter? _installedError;
    private static TextReader? _installedIn;

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

            if (_installedIn is null)
            {
                Console.SetIn(new RoutingReader(new Lazy<TextReader>(() => new StreamReader(Console.OpenStandardInput()))));
                _installedIn = Console.In;
            }
            else if (!ReferenceEquals(Console.In, _installedIn))
            {
                var replaced = Console.In;
                Console.SetIn(new RoutingReader(new Lazy<TextReader>(replaced)));
                _installedIn = Console.In;
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

    private sealed class RoutingReader(Lazy<TextReader> fallback) : TextReader
    {
        public override string? ReadLine() => CurrentSink.Value is { } sink ? sink.ReadLine() : fallback.Value.ReadLine();

        public override int Read()
        {
            if (CurrentSink.Value is not { } sink)
            {
                return fallback.Value.Read();
            }

            Span<char> one = stackalloc char[1];
            return sink.Read(one) == 0 ? -1 : one[0];
        }

        public override int Peek()
        {
            if (CurrentSink.Value is not { } sink)
            {
                return fallback.Value.Peek();
            }

            Span<char> one = stackalloc char[1];
            return sink.Read(one, peek: true) == 0 ? -1 : one[0];
        }

        public override int Read(char[] buffer, int index, int count)
        {
            ArgumentNullException.ThrowIfNull(buffer);
            return CurrentSink.Value is { } sink ? sink.Read(buffer.AsSpan(index, count)) : fallback.Value.Read(buffer, index, count);
        }

        public override int Read(Span<char> buffer) => CurrentSink.Value is { } sink ? sink.Read(buffer) : fallback.Value.Read(buffer);
    }
}
