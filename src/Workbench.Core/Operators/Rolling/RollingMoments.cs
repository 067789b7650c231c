namespace Workbench.Operators.Rolling;

/// <summary>
/// Mean and variance of the last <see cref="Window"/> values, updated in O(1) per value with the sliding form of
/// Welford's algorithm (add the new value, remove the one leaving the window), which stays accurate for large
/// offsets where the naive sum-of-squares formula cancels catastrophically. Values live in a ring buffer.
/// </summary>
public sealed class RollingMoments
{
    private readonly double[] _ring;
    private int _next;
    private double _mean;
    private double _m2;

    /// <summary>A window of <paramref name="window"/> values (≥ 1).</summary>
    public RollingMoments(int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        _ring = new double[window];
    }

    /// <summary>The window length.</summary>
    public int Window => _ring.Length;

    /// <summary>Values currently in the window (≤ <see cref="Window"/>).</summary>
    public int Count { get; private set; }

    /// <summary>Whether the window is full.</summary>
    public bool IsFull => Count == _ring.Length;

    /// <summary>Mean of the values in the window (0 when empty).</summary>
    public double Mean => _mean;

    /// <summary>Sample variance (n − 1 denominator) of the window; 0 with fewer than two values.</summary>
    public double Variance => Count > 1 ? Math.Max(0, _m2 / (Count - 1)) : 0;

    /// <summary>Population variance (n denominator) of the window; 0 when empty.</summary>
    public double PopulationVariance => Count > 0 ? Math.Max(0, _m2 / Count) : 0;

    /// <summary>Adds <paramref name="x"/>, evicting the oldest value when the window is full.</summary>
    public void Add(double x)
    {
        if (Count == _ring.Length)
        {
            var old = _ring[_next];
            // Replace old by x in one step: mean and M2 update for a swap of one element.
            var delta = x - old;
            var oldMean = _mean;
            _mean += delta / Count;
            _m2 += delta * ((x - _mean) + (old - oldMean));
        }
        else
        {
            Count++;
            var delta = x - _mean;
            _mean += delta / Count;
            _m2 += delta * (x - _mean);
        }

        _ring[_next] = x;
        _next = _next + 1 == _ring.Length ? 0 : _next + 1;
    }

    /// <summary>Empties the window.</summary>
    public void Clear()
    {
        Count = 0;
        _next = 0;
        _mean = 0;
        _m2 = 0;
    }
}
