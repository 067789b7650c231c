using Workbench.Core;
using Workbench.Operators.Hygiene;
using Workbench.Operators.Rolling;

namespace Workbench.Operators.Windows;

/// <summary>
/// A sliding window per series, by count or by time (set exactly one). By count: the last <see cref="Count"/>
/// observations of the series, present or missing, including the current one. By time: the observations of the
/// series with timestamp in (t − <see cref="Span"/>, t], t being the current observation's timestamp. Each series
/// must arrive in non-decreasing timestamp order (an earlier timestamp fails the stream with
/// <see cref="ObservationOrderException"/>; put <c>Reorder</c> first for out-of-order sources).
/// </summary>
/// <param name="Count">Window length in observations (≥ 1), or null for a time window.</param>
/// <param name="Span">Window duration (&gt; 0), or null for a count window.</param>
public sealed record SlidingWindowOptions(int? Count = null, TimeSpan? Span = null)
{
    /// <summary>A window of the last <paramref name="count"/> observations.</summary>
    public static SlidingWindowOptions ByCount(int count) => new(Count: count);

    /// <summary>A window of the observations in (t − <paramref name="span"/>, t].</summary>
    public static SlidingWindowOptions ByTime(TimeSpan span) => new(Span: span);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless exactly one of Count (≥ 1) and Span (&gt; 0) is set.</summary>
    public void Validate()
    {
        if (Count.HasValue == Span.HasValue)
        {
            throw new ArgumentOutOfRangeException(nameof(Count), "set exactly one of Count and Span");
        }

        if (Count is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Count), Count, "count must be >= 1");
        }

        if (Span is { } span && span <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Span), span, "span must be > 0");
        }
    }
}

/// <summary>One sliding-window output per input observation: the observation and the aggregates of its window.</summary>
/// <param name="Observation">The input, carried through unchanged (it is the newest member of its window).</param>
/// <param name="Window">Aggregates of the window ending at this observation.</param>
public readonly record struct WindowedObservation(LabeledObservation Observation, WindowStats Window);

/// <summary>One sliding-window output per input observation: the observation and a copy of its window's contents.</summary>
/// <param name="Observation">The input, carried through unchanged.</param>
/// <param name="Contents">The window's observations, oldest first, ending with <paramref name="Observation"/> (a fresh array).</param>
public sealed record ObservationWindow(LabeledObservation Observation, IReadOnlyList<LabeledObservation> Contents);

/// <summary>
/// The sliding-window aggregation kernel of one series: a ring of (timestamp, value) entries, a compensated running
/// sum, monotonic deques for min/max and a forward-moving pointer to the oldest present value — O(1) amortised per
/// observation, allocation only when a time window outgrows its ring (doubling).
/// </summary>
internal sealed class SlidingAggregator
{
    private readonly int _maxCount;
    private readonly long _spanTicks;
    private readonly string _series;
    private readonly MonotonicDeque _min;
    private readonly MonotonicDeque _max;
    private long[] _ticks;
    private double[] _values;
    private bool[] _present;
    private int _head;
    private int _size;
    private long _nextSeq;
    private long _presentCount;
    private double _sum;
    private double _compensation;
    private long _firstPresent = -1;
    private double _lastValue;
    private long _lastTicks = long.MinValue;

    public SlidingAggregator(string series, SlidingWindowOptions options)
    {
        _series = series;
        _maxCount = options.Count ?? int.MaxValue;
        _spanTicks = options.Span?.Ticks ?? 0;
        var capacity = options.Count is { } c ? c + 1 : 16;
        _ticks = new long[capacity];
        _values = new double[capacity];
        _present = new bool[capacity];
        _min = new MonotonicDeque(Math.Min(capacity, 1024));
        _max = new MonotonicDeque(Math.Min(capacity, 1024));
    }

    private long HeadSeq => _nextSeq - _size;

    public WindowStats Add(DateTime timestamp, double? value)
    {
        var ticks = timestamp.Ticks;
        if (ticks < _lastTicks)
        {
            throw new ObservationOrderException(_series, timestamp, new DateTime(_lastTicks, DateTimeKind.Utc),
                "sliding windows need each series in timestamp order (put Reorder before it)");
        }

        _lastTicks = ticks;
        if (_size == _ticks.Length)
        {
            Grow();
        }

        var slot = _head + _size;
        if (slot >= _ticks.Length)
        {
            slot -= _ticks.Length;
        }

        var seq = _nextSeq++;
        _ticks[slot] = ticks;
        _size++;
        if (value is { } x)
        {
            _values[slot] = x;
            _present[slot] = true;
            _presentCount++;
            NeumaierSum.Add(ref _sum, ref _compensation, x);
            _min.PushMin(x, seq, long.MinValue);
            _max.PushMax(x, seq, long.MinValue);
            _lastValue = x;
            if (_firstPresent < 0)
            {
                _firstPresent = seq;
            }
        }
        else
        {
            _present[slot] = false;
        }

        // Evict: beyond the count, or at/before t - span.
        while (_size > _maxCount || (_spanTicks > 0 && _ticks[_head] <= ticks - _spanTicks))
        {
            if (_present[_head])
            {
                _presentCount--;
                NeumaierSum.Add(ref _sum, ref _compensation, -_values[_head]);
            }

            _head = _head + 1 == _ticks.Length ? 0 : _head + 1;
            _size--;
        }

        var headSeq = HeadSeq;
        _min.Evict(headSeq - 1);
        _max.Evict(headSeq - 1);
        if (_presentCount == 0)
        {
            // Exactly empty: no rounding residue, no present pointers.
            _sum = 0;
            _compensation = 0;
            _firstPresent = -1;
            return new WindowStats(0, _size, 0, null, null, null, null, null);
        }

        if (_firstPresent < headSeq)
        {
            var s = Math.Max(_firstPresent + 1, headSeq);
            while (!_present[Slot(s)])
            {
                s++;
            }

            _firstPresent = s;
        }

        var sum = _sum + _compensation;
        return new WindowStats(_presentCount, _size - _presentCount, sum, sum / _presentCount, _min.HeadValue, _max.HeadValue,
            _values[Slot(_firstPresent)], _lastValue);
    }

    private int Slot(long seq)
    {
        var i = _head + (int)(seq - HeadSeq);
        return i >= _ticks.Length ? i - _ticks.Length : i;
    }

    private void Grow()
    {
        var n = _ticks.Length * 2;
        var ticks = new long[n];
        var values = new double[n];
        var present = new bool[n];
        for (var i = 0; i < _size; i++)
        {
            var j = _head + i;
            if (j >= _ticks.Length)
            {
                j -= _ticks.Length;
            }

            ticks[i] = _ticks[j];
            values[i] = _values[j];
            present[i] = _present[j];
        }

        _ticks = ticks;
        _values = values;
        _present = present;
        _head = 0;
    }
}

/// <summary>The sliding-window contents kernel of one series (copies the window for each observation).</summary>
internal sealed class SlidingContents(string series, SlidingWindowOptions options)
{
    private readonly Queue<LabeledObservation> _window = new();
    private readonly int _maxCount = options.Count ?? int.MaxValue;
    private readonly long _spanTicks = options.Span?.Ticks ?? 0;
    private long _lastTicks = long.MinValue;

    public ObservationWindow Add(LabeledObservation o)
    {
        var ticks = o.Timestamp.Ticks;
        if (ticks < _lastTicks)
        {
            throw new ObservationOrderException(series, o.Timestamp, new DateTime(_lastTicks, DateTimeKind.Utc),
                "sliding windows need each series in timestamp order (put Reorder before it)");
        }

        _lastTicks = ticks;
        _window.Enqueue(o);
        while (_window.Count > _maxCount || (_spanTicks > 0 && _window.Peek().Timestamp.Ticks <= ticks - _spanTicks))
        {
            _window.Dequeue();
        }

        return new ObservationWindow(o, _window.ToArray());
    }
}
