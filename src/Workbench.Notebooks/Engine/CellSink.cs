using System.Text;

namespace Workbench.Notebooks;

/// <summary>
/// Collects one cell's outputs in order. Stream text is published line by line (complete lines as they are written,
/// any rest before the next non-stream output and at the end); consecutive stream outputs of the same name are merged
/// in <see cref="Outputs"/>, as Jupyter stores them (in one growing buffer, so a cell's output costs O(its length)).
/// The output events are passed on raw and applied to <see cref="Outputs"/> as nbclient applies them:
/// <see cref="UpdateDisplayDataOutput"/> replaces the data of this cell's displays with that id (the runner updates
/// earlier cells), <see cref="ClearOutput"/> removes the outputs so far (with <c>Wait</c>, just before the next output).
/// Console input (<see cref="ReadLine"/>) goes to the front end's reader. Thread-safe: cell code may write from several
/// threads. A sink is closed when its cell ends; later writes (from code a cell left running) are dropped.
/// </summary>
internal sealed class CellSink(Action<NotebookOutput>? onOutput, Func<InputRequest, CancellationToken, string?>? readInput = null, CancellationToken inputToken = default)
{
    private readonly Lock _gate = new();
    private readonly List<NotebookOutput> _outputs = [];
    private readonly StringBuilder _pending = new();
    private readonly StringBuilder _tail = new();
    private string? _pendingStream;
    private string? _tailStream;
    private bool _clearBeforeNext;
    private string? _inputRest;
    private bool _closed;

    public IReadOnlyList<NotebookOutput> Outputs
    {
        get
        {
            lock (_gate)
            {
                var list = _outputs.ToList();
                if (_tailStream is not null)
                {
                    list[^1] = new StreamOutput(_tailStream, _tail.ToString());
                }

                return list;
            }
        }
    }

    public void WriteStream(string stream, string text)
    {
        lock (_gate)
        {
            if (_closed || text.Length == 0)
            {
                return;
            }

            if (_pendingStream is not null && _pendingStream != stream)
            {
                FlushPending();
            }

            _pendingStream = stream;
            _pending.Append(text);
            var lastNewLine = text.LastIndexOf('\n');
            if (lastNewLine >= 0)
            {
                var cut = _pending.Length - (text.Length - lastNewLine - 1);
                var lines = _pending.ToString(0, cut);
                _pending.Remove(0, cut);
                Publish(new StreamOutput(stream, lines));
            }
        }
    }

    public void Add(NotebookOutput output)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            FlushPending();
            Publish(output);
        }
    }

    /// <summary>
    /// One line from the front end (null at the end of input). The stdout text written since the last newline is the
    /// prompt: it moves into the <see cref="InputRequest"/> instead of the stream (Jupyter shows it by the input box).
    /// </summary>
    public string? ReadLine()
    {
        string prompt;
        lock (_gate)
        {
            if (_inputRest is { } rest)
            {
                _inputRest = null;
                return rest.EndsWith('\n') ? rest[..^1] : rest;
            }

            prompt = TakePrompt();
        }

        return readInput!(new InputRequest(prompt, false), inputToken);
    }

    /// <summary>Reads up to <paramref name="buffer"/>'s length in characters (or only looks, with <paramref name="peek"/>), at most to the end of the current input line; 0 at the end.</summary>
    public int Read(Span<char> buffer, bool peek = false)
    {
        string rest;
        lock (_gate)
        {
            rest = _inputRest ?? string.Empty;
        }

        if (rest.Length == 0)
        {
            string prompt;
            lock (_gate)
            {
                prompt = TakePrompt();
            }

            var line = readInput!(new InputRequest(prompt, false), inputToken);
            if (line is null)
            {
                return 0;
            }

            rest = line + "\n";
        }

        var n = Math.Min(buffer.Length, rest.Length);
        rest.AsSpan(0, n).CopyTo(buffer);
        lock (_gate)
        {
            _inputRest = peek ? rest : n < rest.Length ? rest[n..] : null;
        }

        return n;
    }

    public void Close()
    {
        lock (_gate)
        {
            if (!_closed)
            {
                FlushPending();
                _closed = true;
            }
        }
    }

    private string TakePrompt()
    {
        if (_closed)
        {
            throw new InvalidOperationException("console input was requested after its cell had ended");
        }

        if (readInput is null)
        {
            throw new InvalidOperationException("console input is not available: this front end does not allow input (Console.ReadLine in a cell needs a front end that answers input requests)");
        }

        var prompt = string.Empty;
        if (_pendingStream == StreamOutput.StdOut)
        {
            prompt = _pending.ToString();
            _pending.Clear();
            _pendingStream = null;
        }

        FlushPending();
        return prompt;
    }

    private void FlushPending()
    {
        if (_pendingStream is not null && _pending.Length > 0)
        {
            Publish(new StreamOutput(_pendingStream, _pending.ToString()));
        }

        _pending.Clear();
        _pendingStream = null;
    }

    private void Publish(NotebookOutput output)
    {
        switch (output)
        {
            case UpdateDisplayDataOutput update:
                for (var i = 0; i < _outputs.Count; i++)
                {
                    if (_outputs[i] is DisplayDataOutput d && d.DisplayId == update.DisplayId)
                    {
                        _outputs[i] = d with { Data = update.Data, Metadata = update.Metadata };
                    }
                }

                break;
            case ClearOutput clear:
                if (clear.Wait)
                {
                    _clearBeforeNext = true;
                }
                else
                {
                    ClearNow();
                }

                break;
            default:
                if (_clearBeforeNext)
                {
                    ClearNow();
                }

                if (output is StreamOutput s && _tailStream == s.Name && s.Extra is null)
                {
                    _tail.Append(s.Text);
                }
                else
                {
                    MaterializeTail();
                    _outputs.Add(output);
                    if (output is StreamOutput { Extra: null } started)
                    {
                        _tailStream = started.Name;
                        _tail.Append(started.Text);
                    }
                }

                break;
        }

        onOutput?.Invoke(output);
    }

    private void ClearNow()
    {
        _outputs.Clear();
        _tail.Clear();
        _tailStream = null;
        _clearBeforeNext = false;
    }

    /// <summary>Writes the merged text of the trailing stream output back into the list and stops merging into it.</summary>
    private void MaterializeTail()
    {
        if (_tailStream is not null)
        {
            _outputs[^1] = new StreamOutput(_tailStream, _tail.ToString());
            _tail.Clear();
            _tailStream = null;
        }
    }
}
