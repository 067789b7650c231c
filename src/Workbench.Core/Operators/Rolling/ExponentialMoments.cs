namespace Workbench.Operators.Rolling;

/// <summary>
/// Exponentially weighted mean and variance, updated in O(1) per value with West's weighted incremental algorithm
/// (no sum of squares, so no catastrophic cancellation). Before each new value every existing weight is multiplied
/// by 1 − α; the new value then enters with weight 1 (<see cref="Adjust"/> = true) or with weight α (after the
/// first value, which gets weight 1; <see cref="Adjust"/> = false).
/// <list type="bullet">
/// <item><b>Adjust = true</b>: the mean is Σ(1−α)^i·x_{t−i} / Σ(1−α)^i — normalised over the finite history, so
/// early values are not biased towards the first observation.</item>
/// <item><b>Adjust = false</b>: the classic recursion m_t = (1−α)·m_{t−1} + α·x_t seeded with m_1 = x_1.</item>
/// </list>
/// <see cref="PopulationVariance"/> is Σw·(x − m)² / Σw; <see cref="Variance"/> applies the reliability-weights
/// bias correction (Σw)² / ((Σw)² − Σw²), which makes it unbiased for independent values. Both weightings and the
/// bias correction are those of pandas' <c>ewm(adjust=…).mean()/.var(bias=False)</c> with <c>ignore_na=True</c>.
/// <para>
/// Overflow safety: any finite value is accepted. A value above 2^480 in magnitude switches the state to units of
/// 2^544 (exact power-of-two scaling), so differences and squared deviations of values up to ±<see cref="double.MaxValue"/>
/// stay finite; once mean and spread have decayed back below 2^480 the state returns to plain units (contributions
/// below 2^−1074 in scaled units, i.e. negligible next to the huge value, are lost meanwhile). <see cref="Mean"/> is
/// always finite; the variances saturate at <see cref="double.MaxValue"/> when the true value exceeds the double range.
/// </para>
/// </summary>
public sealed class ExponentialMoments
{
    private readonly double _decay;
    private readonly double _alpha;
    private double _sumW;
    private double _sumW2;
    private double _mean;
    private double _m2;
    private int _k;

    /// <summary>Smoothing factor <paramref name="alpha"/> in (0, 1].</summary>
    public ExponentialMoments(double alpha, bool adjust = true)
    {
        if (!(alpha > 0 && alpha <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in (0, 1]");
        }

        _alpha = alpha;
        _decay = 1 - alpha;
        Adjust = adjust;
    }

    /// <summary>Whether the weights are normalised over the finite history (see the type remarks).</summary>
    public bool Adjust { get; }

    /// <summary>The smoothing factor α.</summary>
    public double Alpha => _alpha;

    /// <summary>Values added so far.</summary>
    public long Count { get; private set; }

    /// <summary>The weighted mean (0 before the first value).</summary>
    public double Mean => _k == 0 ? _mean : Saturate(Math.ScaleB(_mean, _k));

    /// <summary>Biased weighted variance Σw·(x − m)² / Σw (0 before the first value).</summary>
    public double PopulationVariance => Unscale2(Count > 0 ? Math.Max(0, _m2 / _sumW) : 0);

    /// <summary>
    /// Bias-corrected weighted variance Σw·(x − m)² · Σw / ((Σw)² − Σw²); 0 with fewer than two values (undefined there).
    /// </summary>
    public double Variance
    {
        get
        {
            if (Count < 2)
            {
                return 0;
            }

            var denominator = (_sumW * _sumW) - _sumW2;
            return Unscale2(denominator > 0 ? Math.Max(0, _m2 * _sumW / denominator) : 0);
        }
    }

    /// <summary>Adds the next value.</summary>
    public void Add(double x)
    {
        if (_k == 0 && Math.Abs(x) > RollingMoments.LargeMagnitude)
        {
            _k = RollingMoments.ScaledExponent;
            _mean = Math.ScaleB(_mean, -_k);
            _m2 = Math.ScaleB(_m2, -2 * _k);
        }

        if (_k != 0)
        {
            x = Math.ScaleB(x, -_k);
        }

        var w = Adjust || Count == 0 ? 1.0 : _alpha;
        _sumW = (_sumW * _decay) + w;
        _sumW2 = (_sumW2 * _decay * _decay) + (w * w);
        _m2 *= _decay;
        var delta = x - _mean;
        _mean += delta * (w / _sumW);
        _m2 += w * delta * (x - _mean);
        Count++;
        if (_k != 0)
        {
            // Back to plain units once the state is small again (mean and spread below 2^480 in true units).
            var small = Math.ScaleB(1.0, 480 - _k);
            if (Math.Abs(_mean) <= small && Math.Abs(_m2 / _sumW) <= small * small)
            {
                _mean = Math.ScaleB(_mean, _k);
                _m2 = Math.ScaleB(_m2, 2 * _k);
                _k = 0;
            }
        }
    }

    /// <summary>Forgets every value.</summary>
    public void Clear()
    {
        _k = 0;
        Count = 0;
        _sumW = 0;
        _sumW2 = 0;
        _mean = 0;
        _m2 = 0;
    }

    private static double Saturate(double v) => v > double.MaxValue ? double.MaxValue : v < -double.MaxValue ? -double.MaxValue : v;

    private double Unscale2(double v) => _k == 0 ? v : Saturate(Math.ScaleB(v, 2 * _k));
}
