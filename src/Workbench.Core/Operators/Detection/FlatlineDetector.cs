using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>
/// Flatline (stuck sensor): score = the length of the longest run of consecutive present values ending at this one
/// whose range (max − min) is ≤ <see cref="Tolerance"/>, capped at <see cref="Window"/>; range {1, …, window}.
/// Flag threshold <see cref="Window"/>: flagged once the last <see cref="Window"/> values all lie within the
/// tolerance. Exact in O(1) amortised per value with monotonic min/max deques bounded by the window. A missing value
/// gets no score and is skipped (neither breaks nor extends the run).
/// </summary>
/// <param name="Window">Flat values needed to flag (≥ 2; default 12, one hour of 5-minute data).</param>
/// <param name="Tolerance">Largest range (max − min) still called flat, value units (≥ 0; default 0 = exactly constant).</param>
public sealed record FlatlineDetector(int Window = 12, double Tolerance = 0) : IDetector
{
    /// <summary>Spec binding: <c>flatline(window=12,tolerance=0)</c>.</summary>
    public static OperatorDescriptor<FlatlineDetector> Descriptor { get; } =
        new OperatorDescriptor<FlatlineDetector>("flatline", OperatorKind.Detector,
                "Length of the current run of values within a tolerance band (capped at window); flag at window.",
                new FlatlineDetector(), o => o.Validate())
            .Int("window", "flat values needed to flag = flag threshold (>= 2)", o => o.Window, (o, v) => o with { Window = v })
            .Double("tolerance", "largest max - min still flat, value units (>= 0)", o => o.Tolerance, (o, v) => o with { Tolerance = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>The window <see cref="Window"/>.</summary>
    public double Threshold => Window;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        OperatorLimits.CheckWindow(Window, 2, "window");

        if (!(Tolerance >= 0) || !double.IsFinite(Tolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "tolerance must be a finite number >= 0");
        }
    }

    public IDetectorKernel CreateKernel()
    {
        Validate();
        return new Kernel(Window, Tolerance);
    }

    /// <summary>
    /// Indices t of present values; the flat run is [start, t]. Each deque holds (index, value) of candidates in
    /// index order, values monotone (max: decreasing, min: increasing); both live in rings of the window's size.
    /// </summary>
    private sealed class Kernel(int window, double tolerance) : IDetectorKernel
    {
        private readonly Deque _max = new(window);
        private readonly Deque _min = new(window);
        private long _t = -1;
        private long _start;

        public double? Update(DateTime timestamp, double? value)
        {
            if (value is not { } x)
            {
                return null;
            }

            _t++;
            _start = Math.Max(_start, _t - window + 1);
            _max.DropFrontBefore(_start);
            _min.DropFrontBefore(_start);
            while (_max.Count > 0 && _max.BackValue <= x)
            {
                _max.PopBack();
            }

            while (_min.Count > 0 && _min.BackValue >= x)
            {
                _min.PopBack();
            }

            _max.PushBack(_t, x);
            _min.PushBack(_t, x);
            while (_max.FrontValue - _min.FrontValue > tolerance)
            {
                // The run must start after the older of the two extremes.
                _start = Math.Min(_max.FrontIndex, _min.FrontIndex) + 1;
                _max.DropFrontBefore(_start);
                _min.DropFrontBefore(_start);
            }

            return _t - _start + 1;
        }
    }

    private sealed class Deque(int capacity)
    {
        private readonly long[] _index = new long[capacity];
        private readonly double[] _value = new double[capacity];
        private int _head;

        public int Count { get; private set; }

        public double BackValue => _value[Slot(Count - 1)];

        public double FrontValue => _value[_head];

        public long FrontIndex => _index[_head];

        public void PushBack(long index, double value)
        {
            var slot = Slot(Count);
            _index[slot] = index;
            _value[slot] = value;
            Count++;
        }

        public void PopBack() => Count--;

        public void DropFrontBefore(long start)
        {
            while (Count > 0 && _index[_head] < start)
            {
                _head = _head + 1 == _index.Length ? 0 : _head + 1;
                Count--;
            }
        }

        private int Slot(int offset)
        {
            var s = _head + offset;
            return s >= _index.Length ? s - _index.Length : s;
        }
    }
}
