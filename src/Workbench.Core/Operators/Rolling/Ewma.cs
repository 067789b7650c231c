namespace Workbench.Operators.Rolling;

/// <summary>Exponentially weighted statistics after one value.</summary>
/// <param name="Count">Present values seen so far.</param>
/// <param name="Mean">The exponentially weighted moving average.</param>
/// <param name="Variance">Bias-corrected exponentially weighted variance (0 with one value).</param>
/// <param name="PopulationVariance">Biased exponentially weighted variance Σw·(x − m)² / Σw.</param>
public readonly record struct EwMoments(long Count, double Mean, double Variance, double PopulationVariance)
{
    /// <summary>√<see cref="Variance"/>.</summary>
    public double StandardDeviation => Math.Sqrt(Variance);
}

/// <summary>
/// EWMA and exponentially weighted variance (see <see cref="ExponentialMoments"/> for the weights and the bias
/// handling). Parametrised by the smoothing factor α directly or through <see cref="FromSpan"/>
/// (α = 2 / (span + 1)), <see cref="FromHalfLife"/> (α = 1 − 2^(−1/halfLife): a value's weight halves every
/// halfLife observations) or <see cref="FromCenterOfMass"/> (α = 1 / (1 + com)). Decay counts observations, not
/// time. Missing values are skipped: they neither decay the weights nor enter the mean, and get a null statistic.
/// </summary>
/// <param name="Alpha">Smoothing factor in (0, 1]; larger reacts faster.</param>
/// <param name="Adjust">True (default): weights normalised over the finite history; false: the recursion
/// m_t = (1−α)m_{t−1} + αx_t seeded with the first value.</param>
/// <param name="MinCount">Present values needed before a statistic is emitted (≥ 1, default 1).</param>
public sealed record EwmaOptions(double Alpha, bool Adjust = true, int MinCount = 1) : IRollingStatistic<EwMoments>
{
    /// <summary>α = 2 / (span + 1) for a span ≥ 1 (the "N-period" EMA convention).</summary>
    public static EwmaOptions FromSpan(double span, bool adjust = true, int minCount = 1)
    {
        if (!(span >= 1) || double.IsInfinity(span))
        {
            throw new ArgumentOutOfRangeException(nameof(span), span, "span must be a finite number >= 1");
        }

        return new EwmaOptions(2 / (span + 1), adjust, minCount);
    }

    /// <summary>α = 1 − exp(−ln 2 / halfLife) for a half-life &gt; 0 in observations.</summary>
    public static EwmaOptions FromHalfLife(double halfLife, bool adjust = true, int minCount = 1)
    {
        if (!(halfLife > 0) || double.IsInfinity(halfLife))
        {
            throw new ArgumentOutOfRangeException(nameof(halfLife), halfLife, "halfLife must be a finite number > 0");
        }

        return new EwmaOptions(1 - Math.Exp(-Math.Log(2) / halfLife), adjust, minCount);
    }

    /// <summary>α = 1 / (1 + com) for a centre of mass ≥ 0.</summary>
    public static EwmaOptions FromCenterOfMass(double centerOfMass, bool adjust = true, int minCount = 1)
    {
        if (!(centerOfMass >= 0) || double.IsInfinity(centerOfMass))
        {
            throw new ArgumentOutOfRangeException(nameof(centerOfMass), centerOfMass, "centerOfMass must be a finite number >= 0");
        }

        return new EwmaOptions(1 / (1 + centerOfMass), adjust, minCount);
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (!(Alpha > 0 && Alpha <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "alpha must be in (0, 1]");
        }

        if (MinCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinCount), MinCount, "minCount must be >= 1");
        }
    }

    public IRollingKernel<EwMoments> CreateKernel()
    {
        Validate();
        return new Kernel(new ExponentialMoments(Alpha, Adjust), MinCount);
    }

    private sealed class Kernel(ExponentialMoments moments, int minCount) : IRollingKernel<EwMoments>
    {
        public EwMoments? Update(double? value)
        {
            if (value is not { } x)
            {
                return null;
            }

            moments.Add(x);
            return moments.Count >= minCount
                ? new EwMoments(moments.Count, moments.Mean, moments.Variance, moments.PopulationVariance)
                : null;
        }
    }
}
