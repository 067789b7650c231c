namespace Workbench.Operators.Windows;

/// <summary>
/// Aggregates of the observations in one window. Missing values are skipped by every aggregate and counted in
/// <see cref="Missing"/>. With no present value, <see cref="Sum"/> is 0 and the other aggregates are null.
/// </summary>
/// <param name="Count">Present values in the window.</param>
/// <param name="Missing">Observations with a missing value in the window.</param>
/// <param name="Sum">Sum of the present values (compensated summation).</param>
/// <param name="Mean">Sum / Count; null when Count = 0.</param>
/// <param name="Min">Smallest present value; null when Count = 0.</param>
/// <param name="Max">Largest present value; null when Count = 0.</param>
/// <param name="First">Present value with the earliest timestamp (the first to arrive among equal timestamps); null when Count = 0.</param>
/// <param name="Last">Present value with the latest timestamp (the last to arrive among equal timestamps); null when Count = 0.</param>
public readonly record struct WindowStats(long Count, long Missing, double Sum, double? Mean, double? Min, double? Max, double? First, double? Last)
{
    /// <summary>Observations in the window, present or missing.</summary>
    public long Observations => Count + Missing;
}

/// <summary>Accumulates one tumbling window: counts, compensated sum, min/max, first/last by timestamp, volume.</summary>
internal struct WindowAccumulator
{
    private long _count;
    private long _missing;
    private double _sum;
    private double _compensation;
    private double _min;
    private double _max;
    private double _first;
    private double _last;
    private long _firstTicks;
    private long _lastTicks;
    private double _volume;

    public readonly long Count => _count;

    public readonly double Volume => _volume;

    public void Add(long ticks, double? value, double volume)
    {
        if (value is not { } x)
        {
            _missing++;
            return;
        }

        if (_count == 0)
        {
            _min = _max = _first = _last = x;
            _firstTicks = _lastTicks = ticks;
        }
        else
        {
            if (x < _min)
            {
                _min = x;
            }

            if (x > _max)
            {
                _max = x;
            }

            if (ticks < _firstTicks)
            {
                _first = x;
                _firstTicks = ticks;
            }

            if (ticks >= _lastTicks)
            {
                _last = x;
                _lastTicks = ticks;
            }
        }

        _count++;
        NeumaierSum.Add(ref _sum, ref _compensation, x);
        _volume += volume;
    }

    public readonly WindowStats Stats()
    {
        if (_count == 0)
        {
            return new WindowStats(0, _missing, 0, null, null, null, null, null);
        }

        var sum = _sum + _compensation;
        return new WindowStats(_count, _missing, sum, sum / _count, _min, _max, _first, _last);
    }
}

/// <summary>Neumaier's compensated summation (Kahan–Babuška): the running error is kept in a second term.</summary>
internal static class NeumaierSum
{
    public static void Add(ref double sum, ref double compensation, double x)
    {
        var t = sum + x;
        if (Math.Abs(sum) >= Math.Abs(x))
        {
            compensation += (sum - t) + x;
        }
        else
        {
            compensation += (x - t) + sum;
        }

        sum = t;
    }
}
