using Workbench.Operators.Specs;

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
        OperatorLimits.CheckWindow(window, 1, nameof(window));
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
/// A circular deque of (value, sequence) pairs kept monotonic by its push operations. The capacity is a power of two
/// (at least the requested one) so positions wrap with a mask; it doubles when a push finds it full (fixed-length
/// windows never need to).
/// </summary>
internal sealed class MonotonicDeque
{
    private double[] _values;
    private long[] _seqs;
    private int _mask;
    private long _head; // position of the first entry
    private long _tail; // position after the last entry

    public MonotonicDeque(int capacity)
    {
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, capacity));
        _values = new double[size];
        _seqs = new long[size];
        _mask = size - 1;
    }

    public double HeadValue => _values[(int)_head & _mask];

    public int Count => (int)(_tail - _head);

    /// <summary>Pushes for a running minimum: drops tail values ≥ x, then head entries with sequence ≤ expired.</summary>
    public void PushMin(double x, long seq, long expired)
    {
        var values = _values;
        var mask = _mask;
        while (_tail > _head && values[(int)(_tail - 1) & mask] >= x)
        {
            _tail--;
        }

        Push(x, seq, expired);
    }

    /// <summary>Pushes for a running maximum: drops tail values ≤ x, then head entries with sequence ≤ expired.</summary>
    public void PushMax(double x, long seq, long expired)
    {
        var values = _values;
        var mask = _mask;
        while (_tail > _head && values[(int)(_tail - 1) & mask] <= x)
        {
            _tail--;
        }

        Push(x, seq, expired);
    }

    /// <summary>Drops head entries whose sequence is ≤ <paramref name="expired"/>.</summary>
    public void Evict(long expired)
    {
        var seqs = _seqs;
        var mask = _mask;
        while (_tail > _head && seqs[(int)_head & mask] <= expired)
        {
            _head++;
        }
    }

    public void Clear()
    {
        _head = 0;
        _tail = 0;
    }

    private void Push(double x, long seq, long expired)
    {
        Evict(expired);
        if (_tail - _head == _values.Length)
        {
            Grow();
        }

        var slot = (int)_tail & _mask;
        _values[slot] = x;
        _seqs[slot] = seq;
        _tail++;
    }

    private void Grow()
    {
        var count = (int)(_tail - _head);
        var values = new double[_values.Length * 2];
        var seqs = new long[_values.Length * 2];
        for (var i = 0; i < count; i++)
        {
            var j = (int)(_head + i) & _mask;
            values[i] = _values[j];
            seqs[i] = _seqs[j];
        }

        _values = values;
        _seqs = seqs;
        _mask = values.Length - 1;
        _head = 0;
        _tail = count;
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

        if (Window > OperatorLimits.MaxWindow)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, $"window must be <= {OperatorLimits.MaxWindow}");
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
