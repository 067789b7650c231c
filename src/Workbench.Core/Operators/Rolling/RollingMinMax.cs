namespace Workbench.Operators.Rolling;

/// <summary>
/// Minimum and maximum of the last <see cref="Window"/> values, with two monotonic deques (candidates for the
/// minimum kept in increasing order, for the maximum in decreasing order): O(1) amortised per value, no allocation
/// after construction. Values must be finite (the model guarantees it).
/// </summary>
public sealed class RollingMinMax
{
    private readonly MonotonicDeque _min;
    private readonly MonotonicDeque _max;
    private long _seq;

    /// <summary>A window of <paramref name="window"/> values (≥ 1).</summary>
    public RollingMinMax(int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        Window = window;
        _min = new MonotonicDeque(window);
        _max = new MonotonicDeque(window);
    }

    /// <summary>The window length.</summary>
    public int Window { get; }

    /// <summary>Values currently in the window (≤ <see cref="Window"/>).</summary>
    public int Count => (int)Math.Min(_seq, Window);

    /// <summary>Smallest value in the window (undefined when empty).</summary>
    public double Min => _min.HeadValue;

    /// <summary>Largest value in the window (undefined when empty).</summary>
    public double Max => _max.HeadValue;

    /// <summary>Adds <paramref name="x"/>, evicting the oldest value when the window is full.</summary>
    public void Add(double x)
    {
        var seq = _seq++;
        var expired = seq - Window;
        _min.PushMin(x, seq, expired);
        _max.PushMax(x, seq, expired);
    }

    /// <summary>Empties the window.</summary>
    public void Clear()
    {
        _seq = 0;
        _min.Clear();
        _max.Clear();
    }
}

/// <summary>
/// A circular deque of (value, sequence) pairs kept monotonic by its push operations. It starts with the given
/// capacity and doubles when a push finds it full (fixed-length windows never need to).
/// </summary>
internal sealed class MonotonicDeque(int capacity)
{
    private double[] _values = new double[Math.Max(1, capacity)];
    private long[] _seqs = new long[Math.Max(1, capacity)];
    private int _head;
    private int _count;

    public double HeadValue => _values[_head];

    public int Count => _count;

    /// <summary>Pushes for a running minimum: drops tail values ≥ x, then head entries with sequence ≤ expired.</summary>
    public void PushMin(double x, long seq, long expired)
    {
        while (_count > 0 && _values[Tail] >= x)
        {
            _count--;
        }

        Push(x, seq, expired);
    }

    /// <summary>Pushes for a running maximum: drops tail values ≤ x, then head entries with sequence ≤ expired.</summary>
    public void PushMax(double x, long seq, long expired)
    {
        while (_count > 0 && _values[Tail] <= x)
        {
            _count--;
        }

        Push(x, seq, expired);
    }

    /// <summary>Drops head entries whose sequence is ≤ <paramref name="expired"/>.</summary>
    public void Evict(long expired)
    {
        while (_count > 0 && _seqs[_head] <= expired)
        {
            _head = _head + 1 == _values.Length ? 0 : _head + 1;
            _count--;
        }
    }

    public void Clear()
    {
        _head = 0;
        _count = 0;
    }

    private int Tail
    {
        get
        {
            var t = _head + _count - 1;
            return t >= _values.Length ? t - _values.Length : t;
        }
    }

    private void Push(double x, long seq, long expired)
    {
        Evict(expired);
        if (_count == _values.Length)
        {
            Grow();
        }

        var slot = _head + _count;
        if (slot >= _values.Length)
        {
            slot -= _values.Length;
        }

        _values[slot] = x;
        _seqs[slot] = seq;
        _count++;
    }

    private void Grow()
    {
        var values = new double[_values.Length * 2];
        var seqs = new long[_values.Length * 2];
        for (var i = 0; i < _count; i++)
        {
            var j = _head + i;
            if (j >= _values.Length)
            {
                j -= _values.Length;
            }

            values[i] = _values[j];
            seqs[i] = _seqs[j];
        }

        _values = values;
        _seqs = seqs;
        _head = 0;
    }
}

/// <summary>Minimum and maximum of a window.</summary>
/// <param name="Count">Present values in the window.</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
public readonly record struct MinMax(int Count, double Min, double Max);

/// <summary>
/// Rolling minimum and maximum of the last <see cref="Window"/> present values (monotonic deques, O(1) amortised).
/// A missing value returns null and leaves the window unchanged. Null until <see cref="MinCount"/> present values.
/// </summary>
/// <param name="Window">Window length in present values (≥ 1).</param>
/// <param name="MinCount">Present values needed before a statistic is emitted (1 … <paramref name="Window"/>;
/// null, the default, means <paramref name="Window"/>).</param>
public sealed record RollingMinMaxOptions(int Window, int? MinCount = null) : IRollingStatistic<MinMax>
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (Window < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, "window must be >= 1");
        }

        if (MinCount is { } m && (m < 1 || m > Window))
        {
            throw new ArgumentOutOfRangeException(nameof(MinCount), m, $"minCount must be in [1, window = {Window}]");
        }
    }

    public IRollingKernel<MinMax> CreateKernel()
    {
        Validate();
        return new Kernel(Window, MinCount ?? Window);
    }

    private sealed class Kernel(int window, int minCount) : IRollingKernel<MinMax>
    {
        private readonly RollingMinMax _minMax = new(window);

        public MinMax? Update(double? value)
        {
            if (value is not { } x)
            {
                return null;
            }

            _minMax.Add(x);
            return _minMax.Count >= minCount ? new MinMax(_minMax.Count, _minMax.Min, _minMax.Max) : null;
        }
    }
}
