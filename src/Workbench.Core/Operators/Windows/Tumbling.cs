using Workbench.Core;
using Workbench.Operators.Hygiene;

namespace Workbench.Operators.Windows;

/// <summary>
/// Tumbling (fixed, non-overlapping) event-time windows per series, aligned on <see cref="Origin"/> + k·<see cref="Size"/>:
/// window k covers [Origin + k·Size, Origin + (k+1)·Size). With the default origin (1970-01-01T00:00Z) and a size that
/// divides a day, windows start at whole minutes/quarter-hours/hours/days (UTC).
/// <para><b>Closing.</b> A window is emitted (revision 0) when an event of its series at or past its end arrives
/// (the series' event-time watermark is the largest timestamp it has seen), optionally when the scheduler's clock
/// reaches end + <see cref="AllowedLateness"/> (the <c>closeOnClock</c> argument of the operators: a quiet series
/// still gets its windows closed), and at completion (flush of every window not yet emitted).</para>
/// <para><b>Late events.</b> A window becomes final once its series' watermark (or the clock) reaches
/// end + <see cref="AllowedLateness"/>. An event for a final window is late: counted (Late, Dropped in the
/// <see cref="HygieneReport"/>) and discarded. An event for a window already emitted but not yet final updates it and
/// re-emits it at once with the next revision number. With the default lateness 0, a window is final when emitted.</para>
/// <para><b>Empty windows.</b> By default a window with no observation is not emitted. With <see cref="EmitEmpty"/>,
/// every window between a series' first observation and its last one is emitted, empty ones with Count = 0 and
/// Missing = 0 (and, with a clock, also the windows of a quiet series after its last observation, as the clock
/// passes them). Windows holding only missing values are always emitted (Count = 0, Missing &gt; 0).</para>
/// </summary>
/// <param name="Size">Window length: a positive duration that divides a day (1 s, 1 min, 15 min, 1 h, …) or is a
/// whole number of days.</param>
public sealed record TumblingOptions(TimeSpan Size)
{
    /// <summary>Emit windows without observations (Count 0); default false (skip them).</summary>
    public bool EmitEmpty { get; init; }

    /// <summary>How long after its end a window still accepts late events and re-emits (≥ 0, within the DateTime range; default 0).</summary>
    public TimeSpan AllowedLateness { get; init; }

    /// <summary>The alignment origin (UTC; default the Unix epoch 1970-01-01T00:00:00Z).</summary>
    public DateTime Origin { get; init; } = DateTime.UnixEpoch;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a bad size, lateness or origin.</summary>
    public void Validate()
    {
        ValidateSize(Size, nameof(Size));
        ValidateLateness(AllowedLateness, nameof(AllowedLateness));

        if (Origin.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentOutOfRangeException(nameof(Origin), Origin, "origin must be a UTC DateTime");
        }
    }

    internal static void ValidateLateness(TimeSpan lateness, string name)
    {
        if (lateness < TimeSpan.Zero || lateness.Ticks > DateTime.MaxValue.Ticks)
        {
            throw new ArgumentOutOfRangeException(name, lateness, "allowed lateness must be >= 0 and at most the DateTime range");
        }
    }

    internal static void ValidateSize(TimeSpan size, string name)
    {
        if (size <= TimeSpan.Zero || (TimeSpan.TicksPerDay % size.Ticks != 0 && size.Ticks % TimeSpan.TicksPerDay != 0))
        {
            throw new ArgumentOutOfRangeException(name, size, "window size must be > 0 and divide a day or be a whole number of days");
        }
    }
}

/// <summary>One emitted tumbling window of one series.</summary>
/// <param name="Series">The series id.</param>
/// <param name="Start">Window start (inclusive, UTC).</param>
/// <param name="End">Window end (exclusive, UTC).</param>
/// <param name="Stats">Aggregates of the observations in the window (missing values skipped and counted).</param>
/// <param name="Revision">0 for the first emission; 1, 2, … for re-emissions after late events within the allowed lateness.</param>
public readonly record struct WindowAggregate(string Series, DateTime Start, DateTime End, WindowStats Stats, int Revision)
{
    internal static WindowAggregate From(TumblingSeries kernel, OpenWindow w) =>
        new(kernel.Series, new DateTime(w.Start, DateTimeKind.Utc), new DateTime(w.End, DateTimeKind.Utc), w.Accumulator.Stats(), w.Revision);
}

/// <summary>An open tumbling window.</summary>
internal sealed class OpenWindow
{
    public long Start;
    public long End;
    public WindowAccumulator Accumulator;
    public bool Fired;
    public int Revision;
}

/// <summary>
/// The tumbling-window kernel of one series and one window size (see <see cref="TumblingOptions"/> for the rules).
/// Open windows are kept sorted by start; there are at most AllowedLateness / Size + 2 of them.
/// </summary>
internal sealed class TumblingSeries
{
    public const long NoDeadline = long.MinValue;

    private readonly long _size;
    private readonly long _origin;
    private readonly long _lateness;
    private readonly bool _emitEmpty;
    private readonly Action<TumblingSeries, OpenWindow> _fire;
    private readonly List<OpenWindow> _open = [];
    private readonly Stack<OpenWindow> _pool = new();
    private long _watermark = long.MinValue;
    private long _finalEnd = long.MinValue;
    private long _nextStart = long.MinValue;

    // Hot-path caches: the window of the previous event, and the watermark − lateness at which the final cut moves.
    private long _hotStart = long.MaxValue;
    private OpenWindow? _hotWindow;
    private long _nextCut = long.MinValue;

    public TumblingSeries(string series, TimeSpan size, TimeSpan lateness, DateTime origin, bool emitEmpty, Action<TumblingSeries, OpenWindow> fire)
    {
        Series = series;
        Timeframe = size;
        _size = size.Ticks;
        _origin = origin.Ticks;
        _lateness = lateness.Ticks;
        _emitEmpty = emitEmpty;
        _fire = fire;
    }

    public string Series { get; }

    public TimeSpan Timeframe { get; }

    /// <summary>For the Rx operator's clock: the deadline currently scheduled, and its timer.</summary>
    public long ScheduledDeadline { get; set; } = NoDeadline;

    public IDisposable? Timer { get; set; }

    /// <summary>When the clock must next act: the earliest end + lateness of an open window (or of the next empty one).</summary>
    public long NextDeadline =>
        _open.Count > 0 ? _open[0].End + _lateness
        : _emitEmpty && _nextStart != long.MinValue ? _nextStart + _size + _lateness
        : NoDeadline;

    /// <summary>Adds one event; returns false (and changes nothing) when its window is already final.</summary>
    public bool Add(long ticks, double? value, double volume)
    {
        long start;
        if (ticks >= _hotStart && ticks - _hotStart < _size)
        {
            start = _hotStart;
        }
        else
        {
            start = StartOf(ticks);
            _hotStart = start;
        }

        var end = start + _size;
        if (end <= _finalEnd)
        {
            return false;
        }

        if (ticks > _watermark)
        {
            _watermark = ticks;
            if (_emitEmpty && _nextStart != long.MinValue)
            {
                for (var s = _nextStart; s < start; s += _size)
                {
                    Insert(Create(s));
                }
            }

            for (var i = 0; i < _open.Count && _open[i].End <= ticks; i++)
            {
                Fire(_open[i]);
            }
        }

        // A pooled window keeps its old start until reused, and an event for a final window never gets here.
        var w = _hotWindow is { } hot && hot.Start == start ? hot : Find(start);
        if (w is null)
        {
            w = Create(start);
            Insert(w);
        }

        _hotWindow = w;

        if (_emitEmpty && end > _nextStart)
        {
            _nextStart = end;
        }

        w.Accumulator.Add(ticks, value, volume);
        if (w.Fired)
        {
            w.Revision++;
            _fire(this, w);
        }
        else if (end <= _watermark)
        {
            Fire(w);
        }

        var horizon = _watermark - _lateness;
        if (horizon >= _nextCut)
        {
            var cut = StartOf(horizon);
            Finalize(cut);
            _nextCut = cut + _size;
        }

        return true;
    }

    /// <summary>The clock reached <paramref name="now"/>: every window with end + lateness ≤ now is emitted (if it was not) and made final.</summary>
    public void AdvanceClock(long now)
    {
        var cut = StartOf(now - _lateness);
        if (cut <= _finalEnd)
        {
            return;
        }

        if (_emitEmpty && _nextStart != long.MinValue)
        {
            for (var s = _nextStart; s + _size <= cut; s += _size)
            {
                Insert(Create(s));
            }

            if (cut > _nextStart)
            {
                _nextStart = cut;
            }
        }

        Finalize(cut);
    }

    /// <summary>Emits every open window not yet emitted, in order, and forgets all (completion).</summary>
    public void Flush()
    {
        foreach (var w in _open)
        {
            if (!w.Fired)
            {
                Fire(w);
            }
        }

        _open.Clear();
    }

    private long StartOf(long ticks)
    {
        var offset = ticks - _origin;
        var k = offset / _size;
        if (offset % _size < 0)
        {
            k--;
        }

        return _origin + (k * _size);
    }

    private void Fire(OpenWindow w)
    {
        if (!w.Fired)
        {
            w.Fired = true;
            _fire(this, w);
        }
    }

    private void Finalize(long cut)
    {
        if (cut <= _finalEnd)
        {
            return;
        }

        _finalEnd = cut;
        var n = 0;
        while (n < _open.Count && _open[n].End <= cut)
        {
            Fire(_open[n]);
            _pool.Push(_open[n]);
            n++;
        }

        if (n > 0)
        {
            _open.RemoveRange(0, n);
        }
    }

    private OpenWindow? Find(long start)
    {
        for (var i = _open.Count - 1; i >= 0; i--)
        {
            var w = _open[i];
            if (w.Start == start)
            {
                return w;
            }

            if (w.Start < start)
            {
                break;
            }
        }

        return null;
    }

    private OpenWindow Create(long start)
    {
        var w = _pool.Count > 0 ? _pool.Pop() : new OpenWindow();
        w.Start = start;
        w.End = start + _size;
        w.Accumulator = default;
        w.Fired = false;
        w.Revision = 0;
        return w;
    }

    private void Insert(OpenWindow w)
    {
        var i = _open.Count;
        while (i > 0 && _open[i - 1].Start > w.Start)
        {
            i--;
        }

        _open.Insert(i, w);
    }
}

/// <summary>
/// Tumbling windows of every series at one or more sizes: routes each event to its series' kernels, counts Seen,
/// Late and Dropped per series, and calls <c>fire</c> for every emission. Shared by the Rx operators and the batch twins.
/// </summary>
internal sealed class TumblingEngine
{
    private readonly TimeSpan[] _sizes;
    private readonly TimeSpan _lateness;
    private readonly DateTime _origin;
    private readonly bool _emitEmpty;
    private readonly Action<TumblingSeries, OpenWindow> _fire;
    private readonly SeriesState<Slot> _slots;
    private readonly List<Slot> _order = [];

    public TumblingEngine(IReadOnlyList<TimeSpan> sizes, TimeSpan lateness, DateTime origin, bool emitEmpty, HygieneLedger ledger, Action<TumblingSeries, OpenWindow> fire)
    {
        _sizes = [.. sizes];
        _lateness = lateness;
        _origin = origin;
        _emitEmpty = emitEmpty;
        _fire = fire;
        Ledger = ledger;
        _slots = new SeriesState<Slot>(() => new Slot());
    }

    public HygieneLedger Ledger { get; }

    /// <summary>Called after an event for each kernel whose <see cref="TumblingSeries.NextDeadline"/> differs from its scheduled one.</summary>
    public Action<TumblingSeries>? DeadlineChanged { get; set; }

    public void Add(LabeledObservation o, double volume)
    {
        var slot = _slots.For(o.Series);
        if (slot.Kernels is null)
        {
            slot.Counter = Ledger.For(o.Series);
            slot.Kernels = new TumblingSeries[_sizes.Length];
            for (var i = 0; i < _sizes.Length; i++)
            {
                slot.Kernels[i] = new TumblingSeries(o.Series, _sizes[i], _lateness, _origin, _emitEmpty, _fire);
            }

            _order.Add(slot);
        }

        var c = slot.Counter!;
        c.Seen++;
        var accepted = false;
        var ticks = o.Timestamp.Ticks;
        foreach (var kernel in slot.Kernels)
        {
            if (kernel.Add(ticks, o.Value, volume))
            {
                accepted = true;
            }
            else
            {
                c.Late++;
            }
        }

        if (accepted)
        {
            c.Emitted++;
        }
        else
        {
            c.Dropped++;
        }

        if (DeadlineChanged is { } changed)
        {
            foreach (var kernel in slot.Kernels)
            {
                if (kernel.NextDeadline != kernel.ScheduledDeadline)
                {
                    changed(kernel);
                }
            }
        }
    }

    /// <summary>Emits every window not yet emitted: series in order of first appearance, sizes in the given order.</summary>
    public void Flush()
    {
        foreach (var slot in _order)
        {
            foreach (var kernel in slot.Kernels!)
            {
                kernel.Flush();
            }
        }
    }

    private sealed class Slot
    {
        public HygieneCounter? Counter;
        public TumblingSeries[]? Kernels;
    }
}
