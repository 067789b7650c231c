using System.Runtime.CompilerServices;

namespace Workbench.Generation;

/// <summary>A metric's base-signal parameters, flattened for the generator's inner loop.</summary>
internal sealed class MetricSignal
{
    public MetricSignal(MetricSpec metric, TimeSpan frequency)
    {
        Level = metric.Level;
        LevelSpread = metric.LevelSpread;
        Trend = metric.TrendPerStepAt(frequency);
        Seasonalities = [.. metric.Seasonalities];
        Sigma = metric.Noise.Sigma;
        Phi = metric.Noise.Ar1Phi;
        ArSigma = metric.Noise.Ar1Sigma;
        RandomWalkSigma = metric.Noise.RandomWalkSigma;
        Min = metric.Min ?? double.NegativeInfinity;
        Max = metric.Max ?? double.PositiveInfinity;
    }

    public double Level { get; }
    public double LevelSpread { get; }
    public double Trend { get; }
    public SeasonalComponent[] Seasonalities { get; }
    public double Sigma { get; }
    public double Phi { get; }
    public double ArSigma { get; }
    public double RandomWalkSigma { get; }
    public double Min { get; }
    public double Max { get; }

    /// <summary>The sum of the seasonal components at series index <paramref name="t"/>, added in spec order from 0.</summary>
    public double SeasonalAt(long t)
    {
        var sum = 0.0;
        foreach (var component in Seasonalities)
        {
            sum += component.ValueAt(t);
        }

        return sum;
    }

    /// <summary>
    /// The initial state of one series: its stream, then (draws in this order) the level spread
    /// <c>u ∈ [−1, 1)</c> when <see cref="LevelSpread"/> &gt; 0 and the stationary AR(1) start when <see cref="ArSigma"/> &gt; 0.
    /// </summary>
    public SeriesState Start(ulong seed, int seriesId)
    {
        var state = new SeriesState { Rng = Xoshiro256StarStar.ForStream(seed, Xoshiro256StarStar.SeriesDomain, (ulong)seriesId) };
        state.Level = LevelSpread > 0 ? Level * (1 + (LevelSpread * ((2 * state.Rng.NextDouble()) - 1))) : Level;
        state.Ar = ArSigma > 0 ? ArSigma / Math.Sqrt(1 - (Phi * Phi)) * state.Rng.NextGaussian() : 0;
        return state;
    }

    /// <summary>
    /// The base value at series index <paramref name="t"/>, advancing the series' noise state: level + trend·t +
    /// seasonal, then (each when its σ &gt; 0, one normal draw each, in this order) white noise, AR(1), random walk;
    /// clamped into [min, max].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Next(ref SeriesState state, long t, double seasonal)
    {
        var v = state.Level + (Trend * t) + seasonal;
        if (Sigma > 0)
        {
            v += Sigma * state.Rng.NextGaussian();
        }

        if (ArSigma > 0)
        {
            state.Ar = (Phi * state.Ar) + (ArSigma * state.Rng.NextGaussian());
            v += state.Ar;
        }

        if (RandomWalkSigma > 0)
        {
            state.Walk += RandomWalkSigma * state.Rng.NextGaussian();
            v += state.Walk;
        }

        return v < Min ? Min : v > Max ? Max : v;
    }
}

/// <summary>The mutable state of one generated series (kept per series across batches).</summary>
internal struct SeriesState
{
    public Xoshiro256StarStar Rng;
    public double Level;
    public double Ar;
    public double Walk;

    /// <summary>Index (in the generator's event array) of the series' current or next event.</summary>
    public int Cursor;

    /// <summary>The start of the event at <see cref="Cursor"/>, or <see cref="long.MaxValue"/> when none is left.</summary>
    public long NextStart;
}
