using Workbench.Operators.Specs;

namespace Workbench.Operators.Rolling;

/// <summary>
/// Mean and variance of the last <see cref="Window"/> values, updated in O(1) per value with the sliding form of
/// Welford's algorithm (add the new value, remove the one leaving the window), which stays accurate for large
/// offsets where the naive sum-of-squares formula cancels catastrophically. Values live in a ring buffer.
/// <para>
/// Overflow safety: any finite value is accepted. While every value in the window is at most 2^480 (≈ 3.1e144) in
/// magnitude the state is kept in plain units (the results are exactly those of the textbook update). When a larger
/// value enters, the state switches to units of 2^544 (<see cref="ScaleExponent"/> = 544; a power-of-two scaling is
/// exact), so that differences and squared deviations of values up to ±<see cref="double.MaxValue"/> stay finite; when
/// the last such value leaves, mean and M2 are recomputed exactly from the buffered values in plain units (this also
/// discards the rounding the removal of a huge value leaves behind). Scores should be computed from the scaled
/// statistics (<see cref="ScaledMean"/>, <see cref="ScaledVariance"/>, or <see cref="StandardScore"/>); the plain
/// <see cref="Variance"/> saturates at <see cref="double.MaxValue"/> when the true variance exceeds the double range.
/// </para>
/// </summary>
public sealed class RollingMoments
{
    /// <summary>Values above this magnitude (2^480) switch the state to scaled units.</summary>
    internal static readonly double LargeMagnitude = Math.ScaleB(1.0, 480);

    /// <summary>The exponent of the scaled units (state = true value · 2^−544).</summary>
    internal const int ScaledExponent = 544;

    private readonly double[] _ring;
    private int _next;
    private double _mean;
    private double _m2;
    private int _large;
    private int _k;

    /// <summary>A window of <paramref name="window"/> values (1 … <see cref="OperatorLimits.MaxWindow"/>).</summary>
    public RollingMoments(int window)
    {
        OperatorLimits.CheckWindow(window, 1, nameof(window));
        _ring = new double[window];
    }

    /// <summary>The window length.</summary>
    public int Window => _ring.Length;

    /// <summary>Values currently in the window (≤ <see cref="Window"/>).</summary>
    public int Count { get; private set; }

    /// <summary>Whether the window is full.</summary>
    public bool IsFull => Count == _ring.Length;

    /// <summary>Mean of the values in the window (0 when empty).</summary>
    public double Mean => _k == 0 ? _mean : Saturate(Math.ScaleB(_mean, _k));

    /// <summary>Sample variance (n − 1 denominator) of the window; 0 with fewer than two values; saturates at <see cref="double.MaxValue"/>.</summary>
    public double Variance => _k == 0 ? ScaledVariance : Saturate(Math.ScaleB(ScaledVariance, 2 * _k));

    /// <summary>Population variance (n denominator) of the window; 0 when empty; saturates at <see cref="double.MaxValue"/>.</summary>
    public double PopulationVariance
    {
        get
        {
            var v = Count > 0 ? Math.Max(0, _m2 / Count) : 0;
            return _k == 0 ? v : Saturate(Math.ScaleB(v, 2 * _k));
        }
    }

    /// <summary>
    /// 0 while the window holds no value above 2^480 in magnitude, else 544: <see cref="ScaledMean"/> and
    /// <see cref="ScaledVariance"/> are the true mean and variance times 2^−ScaleExponent and 2^−2·ScaleExponent.
    /// </summary>
    public int ScaleExponent => _k;

    /// <summary>The mean in units of 2^<see cref="ScaleExponent"/>.</summary>
    public double ScaledMean => _mean;

    /// <summary>The sample variance in units of 2^(2·<see cref="ScaleExponent"/>); always finite.</summary>
    public double ScaledVariance => Count > 1 ? Math.Max(0, _m2 / (Count - 1)) : 0;

    /// <summary>
    /// The signed standard score (x − mean) / σ of <paramref name="x"/> against the window, σ the sample standard
    /// deviation floored at 1e-12·max(1, |mean|), computed in the window's scaled units so it is finite for any finite
    /// x (saturating at ±<see cref="double.MaxValue"/>). With <see cref="ScaleExponent"/> = 0 it is exactly
    /// (x − Mean) / max(√Variance, 1e-12·max(1, |Mean|)).
    /// </summary>
    public double StandardScore(double x)
    {
        var k = _k;
        var mean = _mean;
        var unit = k == 0 ? 1 : Math.ScaleB(1.0, -k);
        var xs = k == 0 ? x : Math.ScaleB(x, -k);
        var sd = Math.Max(Math.Sqrt(ScaledVariance), 1e-12 * Math.Max(unit, Math.Abs(mean)));
        var z = (xs - mean) / sd;
        return z > double.MaxValue ? double.MaxValue : z < -double.MaxValue ? -double.MaxValue : z;
    }

    /// <summary>Adds <paramref name="x"/> (finite), evicting the oldest value when the window is full.</summary>
    public void Add(double x)
    {
        var large = Math.Abs(x) > LargeMagnitude;
        if (large && _k == 0)
        {
            // Enter scaled units (exact: a power of two; tiny M2 contributions are negligible next to x's).
            _k = ScaledExponent;
            _mean = Math.ScaleB(_mean, -ScaledExponent);
            _m2 = Math.ScaleB(_m2, -2 * ScaledExponent);
        }

        var xs = _k == 0 ? x : Math.ScaleB(x, -_k);
        if (Count == _ring.Length)
        {
            var raw = _ring[_next];
            if (Math.Abs(raw) > LargeMagnitude)
            {
                _large--;
            }

            var old = _k == 0 ? raw : Math.ScaleB(raw, -_k);

            // Replace old by x in one step: mean and M2 update for a swap of one element.
            var delta = xs - old;
            var oldMean = _mean;
            _mean += delta / Count;
            _m2 += delta * ((xs - _mean) + (old - oldMean));
        }
        else
        {
            Count++;
            var delta = xs - _mean;
            _mean += delta / Count;
            _m2 += delta * (xs - _mean);
        }

        if (large)
        {
            _large++;
        }

        _ring[_next] = x;
        _next = _next + 1 == _ring.Length ? 0 : _next + 1;
        if (_k != 0 && _large == 0)
        {
            Recompute();
        }
    }

    /// <summary>Empties the window.</summary>
    public void Clear()
    {
        Count = 0;
        _next = 0;
        _mean = 0;
        _m2 = 0;
        _large = 0;
        _k = 0;
    }

    private static double Saturate(double v) => v > double.MaxValue ? double.MaxValue : v < -double.MaxValue ? -double.MaxValue : v;

    /// <summary>Welford over the buffered values, oldest first, in plain units (every value is ≤ 2^480 here).</summary>
    private void Recompute()
    {
        _k = 0;
        _mean = 0;
        _m2 = 0;
        var start = Count == _ring.Length ? _next : 0;
        for (var i = 0; i < Count; i++)
        {
            var j = start + i;
            var v = _ring[j >= _ring.Length ? j - _ring.Length : j];
            var delta = v - _mean;
            _mean += delta / (i + 1);
            _m2 += delta * (v - _mean);
        }
    }
}
