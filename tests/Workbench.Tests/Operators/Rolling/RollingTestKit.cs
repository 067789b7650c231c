using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Rolling;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Rolling;

/// <summary>Checks shared by every rolling statistic and indicator.</summary>
internal static class RollingTestKit
{
    /// <summary>
    /// Runs the statistic through Rx, the observation batch twin and the per-series span path; asserts all three agree
    /// and returns the batch result.
    /// </summary>
    public static RolledObservation<T>[] AssertStreamEqualsBatch<T>(
        IRollingStatistic<T> statistic, IReadOnlyList<LabeledObservation> input, MissingOutput missing = MissingOutput.Null)
        where T : struct
    {
        var streamed = input.ToObservable().Rolling(statistic, missing).ToList().Wait().ToArray();
        var batch = RollingBatch.Compute(statistic, input, missing);
        Assert.Equal(batch, streamed);
        foreach (var group in input.Select((o, i) => (o, i)).GroupBy(t => t.o.Series))
        {
            var idx = group.Select(t => t.i).ToArray();
            var span = RollingBatch.Compute(statistic, idx.Select(i => input[i].Value).ToArray(), missing);
            Assert.Equal(idx.Select(i => batch[i].Stat), span);
        }

        return batch;
    }

    /// <summary>The statistic of one series given as values (through every path).</summary>
    public static T?[] Stats<T>(IRollingStatistic<T> statistic, params double?[] values)
        where T : struct =>
        AssertStreamEqualsBatch(statistic, Series("s", values)).Select(r => r.Stat).ToArray();

    /// <summary>Three interleaved series (a random walk, noise around 1e6, a sawtooth) with about 10 % missing values.</summary>
    public static List<LabeledObservation> MixedInput(int length = 300, int seed = 11)
    {
        var rng = new Random(seed);
        double? Maybe(double v) => rng.NextDouble() < 0.1 ? null : v;
        var walk = 0.0;
        var a = new double?[length];
        var b = new double?[length];
        var c = new double?[length];
        for (var i = 0; i < length; i++)
        {
            walk += rng.NextDouble() - 0.5;
            a[i] = Maybe(walk);
            b[i] = Maybe(1e6 + (rng.NextDouble() * 10));
            c[i] = Maybe(i % 17);
        }

        return Interleave(Series("a", a), Series("b", b), Series("c", c));
    }
}
