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
/// </summary>
internal sealed class ChunkedReplayPump : CursorReplayPump<ObservationBatch>
{
    private readonly int _maxRows;
    private readonly bool _spanInstants;
    private readonly SeriesNumbering _table = new();
    private ObservationBatch? _chunk;

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
        do
        {
            var ticks = DueTicks;
            var clock = Scheduler.ClockTicks;
            if (ticks < clock)
            {
                ref readonly var late = ref Cursor!.Current;
                Fail(new ObservationOrderException(late.Series, Cursor.Index, late.Timestamp, null, new DateTime(clock, DateTimeKind.Utc)));
                return;
            }

            if (ticks != clock)
            {
                Scheduler.SetClockTicks(ticks);
            }

            chunk = Fill(chunk, ticks);
            try
            {
                Observer.OnNext(chunk);
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
        while (State == PumpPhase.HasNext && Scheduler.CanRunAhead(this, DueTicks));
    }

    /// <summary>
    /// Copies the current observation and the following ones into the chunk: same timestamp always (up to the size),
    /// later ones only with <see cref="ChunkBoundary.Run"/> and while nothing else on the scheduler is due first (the
    /// clock follows the rows).
    /// </summary>
    private ObservationBatch Fill(ObservationBatch chunk, long ticks)
    {
        chunk.Clear();
        var cursor = Cursor!;
        var table = _table;
        var ids = chunk.SeriesIds;
        var timestamps = chunk.Timestamps;
        var values = chunk.Values;
        var anomalies = chunk.IsAnomaly;
        var kinds = chunk.Kinds;
        var events = chunk.AnomalyIds;
        var n = 0;
        while (true)
        {
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

            var o = cursor.CurrentValue;
            ids[n] = table.IdOf(o.Series);
            timestamps[n] = o.Timestamp;
            values[n] = o.Value;
            var label = o.Label;
            anomalies[n] = label.IsAnomaly;
            kinds[n] = label.Kind;
            events[n] = label.EventId;
            n++;
            ReadAhead();
            if (State != PumpPhase.HasNext || n == _maxRows)
            {
                break;
            }

            var next = DueTicks;
            if (next == ticks)
            {
                continue;
            }

            if (_spanInstants && Scheduler.CanRunAhead(this, next))
            {
                ticks = next;
                Scheduler.SetClockTicks(next);
                continue;
            }

            break;
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
