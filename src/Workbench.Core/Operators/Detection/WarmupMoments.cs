using Workbench.Operators.Rolling;

namespace Workbench.Operators.Detection;

/// <summary>
/// Welford mean and M2 of a growing set of values (a control chart's warm-up), overflow-safe like
/// <see cref="RollingMoments"/>: plain units while every value is at most 2^480 in magnitude, units of 2^544 from
/// the first larger value on (exact power-of-two scaling), so any finite values give finite statistics.
/// </summary>
internal sealed class WarmupMoments
{
    private double _mean;
    private double _m2;

    /// <summary>Values added so far.</summary>
    public int Count { get; private set; }

    /// <summary>0, or 544 once a value above 2^480 was added: the statistics are in units of 2^ScaleExponent.</summary>
    public int ScaleExponent { get; private set; }

    /// <summary>The unit of the scaled statistics, 2^−<see cref="ScaleExponent"/>·(true unit), i.e. what 1 becomes.</summary>
    public double Unit => ScaleExponent == 0 ? 1 : Math.ScaleB(1.0, -ScaleExponent);

    /// <summary>The mean in scaled units.</summary>
    public double ScaledMean => _mean;

    /// <summary>The sample variance (n − 1) in scaled units squared; 0 with fewer than two values.</summary>
    public double ScaledVariance => Count > 1 ? Math.Max(0, _m2 / (Count - 1)) : 0;

    /// <summary>Adds a finite value.</summary>
    public void Add(double x)
    {
        if (ScaleExponent == 0 && Math.Abs(x) > RollingMoments.LargeMagnitude)
        {
            ScaleExponent = RollingMoments.ScaledExponent;
            _mean = Math.ScaleB(_mean, -ScaleExponent);
            _m2 = Math.ScaleB(_m2, -2 * ScaleExponent);
        }

        var xs = ScaleExponent == 0 ? x : Math.ScaleB(x, -ScaleExponent);
        Count++;
        var delta = xs - _mean;
        _mean += delta / Count;
        _m2 += delta * (xs - _mean);
    }

    /// <summary><paramref name="x"/> in this accumulator's scaled units.</summary>
    public double Scale(double x) => ScaleExponent == 0 ? x : Math.ScaleB(x, -ScaleExponent);
}
