using System.Text;

namespace Workbench.Kernel;

/// <summary>
/// Coalesces a cell's console text before it goes out as <c>stream</c> messages: text of one stream is held until
/// another stream or another output comes (order is kept), it reaches <see cref="MaxChunk"/> characters, or
/// <see cref="MaxDelay"/> has passed since it started — so 10 MB of small writes become a few hundred messages, not
/// millions, and a slow loop's lines still show within 50 ms.
/// </summary>
internal sealed class IOPubStreams : IDisposable
{
    public const int MaxChunk = 64 * 1024;
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(50);

    private readonly Lock _gate = new();
    private readonly Action<string, string> _send;
    private readonly ITimer _timer;
    private readonly StringBuilder _pending = new();
    private string? _name;
    private bool _timerArmed;

    /// <param name="send">Sends one stream message (name, text); called under the coalescer's lock, in order.</param>
    /// <param name="clock">The clock of the flush timer.</param>
    public IOPubStreams(Action<string, string> send, TimeProvider clock)
    {
        _send = send;
        _timer = clock.CreateTimer(_ => Flush(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Adds stream text.</summary>
    public void Write(string name, string text)
    {
        lock (_gate)
        {
            if (_name is not null && _name != name)
            {
                FlushLocked();
            }

            _name = name;
            var offset = 0;
            while (offset < text.Length)
            {
                var take = Math.Min(text.Length - offset, MaxChunk - _pending.Length);
                _pending.Append(text, offset, take);
                offset += take;
                if (_pending.Length >= MaxChunk)
                {
                    FlushLocked();
                    _name = name;
                }
            }

            if (_pending.Length > 0 && !_timerArmed)
            {
                _timerArmed = true;
                _timer.Change(MaxDelay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Sends what is pending, then runs <paramref name="next"/> under the same lock (so nothing overtakes it).</summary>
    public void FlushThen(Action next)
    {
        lock (_gate)
        {
            FlushLocked();
            next();
        }
    }

    /// <summary>Sends what is pending.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            FlushLocked();
        }
    }

    public void Dispose() => _timer.Dispose();

    private void FlushLocked()
    {
        if (_name is not null && _pending.Length > 0)
        {
            _send(_name, _pending.ToString());
        }

        _pending.Clear();
        _name = null;
        if (_timerArmed)
        {
            _timerArmed = false;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }
}
