using Workbench.Core;

namespace Workbench.Operators.Rolling;

/// <summary>The array twin of <see cref="RollingQuantileObservable"/>: identical results without Rx.</summary>
public static class RollingQuantileBatch
{
    /// <summary>Rolling statistic for observations of any number of series (state per series, in input order).</summary>
    public static RollingQuantileObservation[] Compute(RollingQuantileOptions options, IReadOnlyList<LabeledObservation> observations)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observations);
        options.Validate();
        var states = new SeriesState<RollingQuantileSeries>(() => new RollingQuantileSeries(options));
        var result = new RollingQuantileObservation[observations.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var o = observations[i];
            result[i] = new RollingQuantileObservation(o, states.For(o.Series).Next(o.Value));
        }

        return result;
    }

    /// <summary>Rolling statistic of one series given as a column; <paramref name="results"/> gets one value per input.</summary>
    public static void Compute(RollingQuantileOptions options, ReadOnlySpan<double?> values, Span<double?> results)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (results.Length < values.Length)
        {
            throw new ArgumentException("results is shorter than values", nameof(results));
        }

        var state = new RollingQuantileSeries(options);
        for (var i = 0; i < values.Length; i++)
        {
            results[i] = state.Next(values[i]);
        }
    }

    /// <summary>Rolling statistic of one series of present values, full windows only: results[i] covers values[i … i+w−1].</summary>
    /// <exception cref="ArgumentException"><paramref name="results"/> is shorter than values.Length − window + 1.</exception>
    public static void Compute(RollingQuantileOptions options, ReadOnlySpan<double> values, Span<double> results)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var w = options.Window;
        var count = Math.Max(0, values.Length - w + 1);
        if (results.Length < count)
        {
            throw new ArgumentException("results must hold values.Length - window + 1 elements", nameof(results));
        }

        var window = new RollingQuantile(w);
        var mad = options.Statistic == RollingQuantileStatistic.Mad;
        for (var i = 0; i < values.Length; i++)
        {
            window.Add(values[i]);
            if (window.IsFull)
            {
                results[i - w + 1] = mad ? window.MedianAbsoluteDeviation() : window.Quantile(options.Probability);
            }
        }
    }
}
