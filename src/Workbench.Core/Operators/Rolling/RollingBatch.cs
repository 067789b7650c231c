using Workbench.Core;

namespace Workbench.Operators.Rolling;

/// <summary>The array twin of <see cref="RollingObservable"/>: identical results without Rx.</summary>
public static class RollingBatch
{
    /// <summary>Runs <paramref name="statistic"/> over observations of any number of series (state per series, in input order).</summary>
    public static RolledObservation<TStat>[] Compute<TStat>(
        IRollingStatistic<TStat> statistic, IReadOnlyList<LabeledObservation> observations, MissingOutput missing = MissingOutput.Null)
        where TStat : struct
    {
        ArgumentNullException.ThrowIfNull(statistic);
        ArgumentNullException.ThrowIfNull(observations);
        statistic.Validate();
        RollingObservable.ValidateMissing(missing);
        var runner = new RollingRunner<TStat>(statistic, missing);
        var result = new RolledObservation<TStat>[observations.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = runner.Next(observations[i]);
        }

        return result;
    }

    /// <summary>
    /// Runs <paramref name="statistic"/> over one series given as a value column, through the kernel's span path,
    /// writing one result per value into <paramref name="results"/>.
    /// </summary>
    public static void Compute<TStat>(
        IRollingStatistic<TStat> statistic, ReadOnlySpan<double?> values, Span<TStat?> results, MissingOutput missing = MissingOutput.Null)
        where TStat : struct
    {
        ArgumentNullException.ThrowIfNull(statistic);
        RollingObservable.ValidateMissing(missing);
        if (results.Length < values.Length)
        {
            throw new ArgumentException("results must be at least as long as values", nameof(results));
        }

        statistic.CreateKernel().UpdateBatch(values, results);
        if (missing == MissingOutput.CarryLast)
        {
            TStat? last = null;
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i].HasValue)
                {
                    last = results[i];
                }
                else
                {
                    results[i] = last;
                }
            }
        }
    }

    /// <summary>Allocating convenience over <see cref="Compute{TStat}(IRollingStatistic{TStat}, ReadOnlySpan{double?}, Span{TStat?}, MissingOutput)"/>.</summary>
    public static TStat?[] Compute<TStat>(IRollingStatistic<TStat> statistic, ReadOnlySpan<double?> values, MissingOutput missing = MissingOutput.Null)
        where TStat : struct
    {
        var results = new TStat?[values.Length];
        Compute(statistic, values, results, missing);
        return results;
    }
}
