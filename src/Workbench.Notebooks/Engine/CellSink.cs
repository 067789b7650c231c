using System.Text;

namespace Workbench.Notebooks;

/// <summary>
/// Collects one cell's outputs in order. Stream text is published line by line (complete lines as they are written,
/// any rest before the next non-stream output and at the end); consecutive stream outputs of the same name are merged
/// in <see cref="Outputs"/>, as Jupyter stores them. Thread-safe: cell code may write from several threads.
/// A sink is closed when its cell ends; later writes (from code a timed-out cell left running) are dropped.
/// </summary>
internal sealed class CellSink(Action<NotebookOutput>? onOutput)
{
    private readonly Lock _gate = new();
    private readonly List<NotebookOutput> _outputs = [];
    private readonly StringBuilder _pending = new();
    private string? _pendingStream;
    private bool _closed;

    public IReadOnlyList<NotebookOutput> Outputs
    {
        get
        {
            lock (_gate)
            {
                return _outputs.ToList();
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
        if (output is StreamOutput s && _outputs.Count > 0 && _outputs[^1] is StreamOutput last && last.Name == s.Name)
        {
            _outputs[^1] = last with { Text = last.Text + s.Text };
        }
        else
        {
            _outputs.Add(output);
        }

        onOutput?.Invoke(output);
    }
}
