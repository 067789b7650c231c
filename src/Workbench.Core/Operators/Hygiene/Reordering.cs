using Workbench.Core;

namespace Workbench.Operators.Hygiene;

/// <summary>
/// Out-of-order handling with bounded lateness on event timestamps. The watermark is the largest timestamp seen so
/// far (over all series) minus <see cref="Lateness"/>. An arriving event older than the watermark is late: it is
/// counted (Late, Dropped) and discarded, or handed to the caller's side channel (also counted as Diverted). Other
/// events are buffered and passed on in timestamp order (ties in arrival order) as soon as the watermark passes them
/// (their timestamp is strictly below it), and all at completion. The output is therefore in non-decreasing
/// timestamp order. Events that arrived after a later one but within the bound count as Reordered. Lateness 0 keeps
/// only events not older than the newest seen, and passes each instant on when a later one arrives.
/// </summary>
/// <param name="Lateness">How far behind the newest timestamp an event may arrive (≥ 0).</param>
public sealed record ReorderOptions(TimeSpan Lateness)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a negative lateness.</summary>
    public void Validate()
    {
        if (Lateness < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Lateness), Lateness, "lateness must be >= 0");
        }
    }
}

/// <summary>The reorder kernel: a priority queue keyed by (timestamp, arrival number).</summary>
internal sealed class Reorderer(ReorderOptions options, HygieneLedger ledger, Action<LabeledObservation> emit, Action<LabeledObservation>? divert)
{
    private readonly PriorityQueue<LabeledObservation, (long Ticks, long Seq)> _buffer = new();
    private readonly long _lateness = options.Lateness.Ticks;
    private long _maxTicks = long.MinValue;
    private long _seq;

    public void Process(LabeledObservation o)
    {
        var c = ledger.For(o.Series);
        c.Seen++;
        var ticks = o.Timestamp.Ticks;
        if (_maxTicks != long.MinValue && ticks < _maxTicks - _lateness)
        {
            c.Late++;
            c.Dropped++;
            if (divert is not null)
            {
                c.Diverted++;
                divert(o);
            }

            return;
        }

        if (ticks < _maxTicks)
        {
            c.Reordered++;
        }

        _buffer.Enqueue(o, (ticks, _seq++));
        if (ticks > _maxTicks)
        {
            _maxTicks = ticks;
            var watermark = _maxTicks - _lateness;
            while (_buffer.TryPeek(out var head, out var key) && key.Ticks < watermark)
            {
                _buffer.Dequeue();
                ledger.For(head.Series).Emitted++;
                emit(head);
            }
        }
    }

    /// <summary>Passes on everything still buffered, in order; call at completion.</summary>
    public void Flush()
    {
        while (_buffer.TryDequeue(out var o, out _))
        {
            ledger.For(o.Series).Emitted++;
            emit(o);
        }
    }
}
