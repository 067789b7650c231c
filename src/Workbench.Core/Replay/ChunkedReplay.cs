using Workbench.Core;

namespace Workbench.Replay;

/// <summary>
/// The cold observable returned by <see cref="ObservationReplay.VirtualChunks(IEnumerable{LabeledObservation}, ReplayScheduler, ChunkOptions?)"/>:
/// configuration only; every subscription gets its own <see cref="ChunkedReplayPump"/>, chunk buffer and enumeration.
/// </summary>
internal sealed class ChunkedReplay(Func<ObservationCursor> open, ReplayScheduler scheduler, ChunkOptions options) : IObservable<ObservationBatch>
{
    public IDisposable Subscribe(IObserver<ObservationBatch> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var pump = new ChunkedReplayPump(open, scheduler, options, observer);
        scheduler.Register(pump);
        return pump;
    }
}

/// <summary>
/// One subscription of a chunked virtual replay. Like <see cref="VirtualReplayPump"/> it is one reusable scheduled
/// item due at its next observation's timestamp; an invocation fills the chunk with that observation and the
/// following ones the boundary rule allows (<see cref="ChunkBoundary"/>), delivers it, and under
/// <see cref="ReplayScheduler.RunToCompletion"/> goes on with the next chunk while nothing else is due first.
/// An array or batch source is read a block at a time (<see cref="ObservationCursor.Read"/>: checked and copied in one
/// go), up to <see cref="BlockRows"/> rows ahead of the chunk being filled, which nobody can see
/// (<see cref="ObservationCursor.ReadsAheadUnseen"/>); any other enumerable is read one observation ahead, as before.
/// Either way the stream is the same: the same chunks, the clock at each chunk, a source's failure after the rows
/// before it.
/// </summary>
internal sealed class ChunkedReplayPump : CursorReplayPump<ObservationBatch>
{
    /// <summary>Rows read from the source at a time.</summary>
    public const int BlockRows = 1024;

    private readonly int _maxRows;
    private readonly bool _spanInstants;
    private readonly SeriesNumbering _table = new();
    private LabeledObservation[] _rows = [];
    private ObservationBatch? _chunk;
    private int _count;
    private int _position;

    public ChunkedReplayPump(Func<ObservationCursor> open, ReplayScheduler scheduler, ChunkOptions options, IObserver<ObservationBatch> observer)
        : base(open, scheduler, observer)
    {
        _maxRows = options.MaxRows;
        _spanInstants = options.Boundary == ChunkBoundary.Run;
    }

    /// <summary>Fills and delivers chunks: the one due now, then — under RunToCompletion, while nothing else is due first — the next ones.</summary>
    protected override void Deliver()
    {
        var chunk = _chunk ??= new ObservationBatch(_table.Names, Math.Min(_maxRows, 4096));
        var scheduler = Scheduler;
        var observer = Observer;
        do
        {
            var ticks = DueTicks;
            var clock = scheduler.ClockTicks;
            if (ticks < clock)
            {
                ref readonly var late = ref _rows[_position];
                Fail(new ObservationOrderException(late.Series, BlockFirstIndex + _position, late.Timestamp, null, new DateTime(clock, DateTimeKind.Utc)));
                return;
            }

            if (ticks != clock)
            {
                scheduler.SetClockTicks(ticks);
            }

            chunk = Fill(chunk, ticks);
            try
            {
                observer.OnNext(chunk);
            }
            catch
            {
                // The observer failed: the subscription is broken; let the exception reach the caller of the scheduler.
                Finish();
                throw;
            }

            if (IsDisposed)
            {
                return;
            }
        }
        while (State == PumpPhase.HasNext && scheduler.CanRunAhead(this, DueTicks));
    }

    /// <summary>The cursor was just opened: reads the first block (of one row when read-ahead could be seen).</summary>
    protected override void Opened()
    {
        _rows = new LabeledObservation[Cursor!.ReadsAheadUnseen ? BlockRows : 1];
        Refill();
    }

    /// <summary>Reads the next block from the source (see <see cref="CursorReplayPump{TOut}.ReadBlock"/>).</summary>
    private void Refill()
    {
        _position = 0;
        _count = ReadBlock(_rows);
    }

    /// <summary>
    /// Copies the current observation and the following ones into the chunk: same timestamp always (up to the size),
    /// later ones only with <see cref="ChunkBoundary.Run"/> and while nothing else on the scheduler is due first (the
    /// clock follows the rows).
    /// </summary>
    private ObservationBatch Fill(ObservationBatch chunk, long ticks)
    {
        chunk.Clear();
        var table = _table;
        var ids = chunk.SeriesIds;
        var timestamps = chunk.Timestamps;
        var values = chunk.Values;
        var anomalies = chunk.IsAnomaly;
        var kinds = chunk.Kinds;
        var events = chunk.AnomalyIds;
        var rows = _rows;
        var n = 0;
        while (true)
        {
            // The rows of the block that belong to this chunk, in a tight loop.
            var position = _position;
            var count = _count;
            var boundary = false;
            while (position < count)
            {
                ref readonly var o = ref rows[position];
                var timestamp = o.Timestamp;
                var next = timestamp.Ticks;
                if (next != ticks)
                {
                    if (!_spanInstants || !Scheduler.CanRunAhead(this, next))
                    {
                        boundary = true;
                        break;
                    }

                    ticks = next;
                    Scheduler.SetClockTicks(next);
                }

                if (n == ids.Length)
                {
                    // Grow up to MaxRows (chunks start small so a source of a few series does not allocate MaxRows rows).
                    chunk.Count = n;
                    chunk = Grow(chunk);
                    ids = chunk.SeriesIds;
                    timestamps = chunk.Timestamps;
                    values = chunk.Values;
                    anomalies = chunk.IsAnomaly;
                    kinds = chunk.Kinds;
                    events = chunk.AnomalyIds;
                }

                ids[n] = table.IdOf(o.Series);
                timestamps[n] = timestamp;
                values[n] = o.Value;
                var label = o.Label;
                anomalies[n] = label.IsAnomaly;
                kinds[n] = label.Kind;
                events[n] = label.EventId;
                n++;
                position++;
                if (n == _maxRows)
                {
                    boundary = true;
                    break;
                }
            }

            _position = position;
            if (position < count)
            {
                DueTicks = rows[position].Timestamp.Ticks;
                break;
            }

            // The block is used up: the next one (or the end, or the source's failure, after this chunk).
            Refill();
            if (boundary || State != PumpPhase.HasNext)
            {
                break;
            }
        }

        chunk.Count = n;
        return chunk;
    }

    private ObservationBatch Grow(ObservationBatch chunk)
    {
        var bigger = new ObservationBatch(_table.Names, (int)Math.Min(_maxRows, 2L * chunk.Capacity));
        var n = chunk.Count;
        Array.Copy(chunk.SeriesIds, bigger.SeriesIds, n);
        Array.Copy(chunk.Timestamps, bigger.Timestamps, n);
        Array.Copy(chunk.Values, bigger.Values, n);
        Array.Copy(chunk.IsAnomaly, bigger.IsAnomaly, n);
        Array.Copy(chunk.Kinds, bigger.Kinds, n);
        Array.Copy(chunk.AnomalyIds, bigger.AnomalyIds, n);
        bigger.Count = n;
        _chunk = bigger;
        return bigger;
    }

}
