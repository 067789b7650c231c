using System.Reactive.Linq;
using System.Reactive.Subjects;
using Workbench.Core;
using Workbench.Operators.Rolling;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Rolling;

public class RollingQuantileTests
{
    private static readonly double[] Values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];

    // Expected values computed with numpy 1.24 (np.quantile default 'linear' = type 7; MAD = median(|x - median|)).
    [Theory]
    [InlineData(0.5, new[] { 2.0, 2.5, 4.5, 3.5, 5.5, 5.5, 4.0 })]
    [InlineData(0.3, new[] { 1.0, 1.0, 3.7, 1.9, 4.7, 4.7, 2.9 })]
    [InlineData(0.9, new[] { 3.7, 4.7, 7.8, 7.8, 8.1, 8.1, 5.7 })]
    public void Quantile_Window4_MatchesNumpyLinear(double p, double[] expected)
    {
        var window = new RollingQuantile(4);
        var got = new List<double>();
        foreach (var v in Values)
        {
            window.Add(v);
            if (window.IsFull)
            {
                got.Add(window.Quantile(p));
            }
        }

        Assert.Equal(expected.Length, got.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], got[i], 12);
        }
    }

    [Fact]
    public void Mad_Window4_MatchesNumpy()
    {
        var window = new RollingQuantile(4);
        var got = new List<double>();
        foreach (var v in Values)
        {
            window.Add(v);
            if (window.IsFull)
            {
                got.Add(window.MedianAbsoluteDeviation());
            }
        }

        Assert.Equal([1.0, 1.5, 2.0, 2.0, 2.0, 2.0, 1.5], got);
    }

    [Fact]
    public void Kernel_PartialWindow_UsesValuesSoFar_MinMaxAndSorted()
    {
        var window = new RollingQuantile(5);
        window.Add(7);
        Assert.Equal(7, window.Median);
        Assert.Equal(0, window.MedianAbsoluteDeviation());
        window.Add(-1);
        window.Add(3);
        Assert.Equal(3, window.Median);
        Assert.Equal(-1, window.Min);
        Assert.Equal(7, window.Max);
        Assert.Equal([-1.0, 3, 7], window.Sorted.ToArray());
        // |7-3|, |-1-3|, |3-3| = 4, 4, 0 -> median 4
        Assert.Equal(4, window.MedianAbsoluteDeviation());
        Assert.Equal(-1, window.Quantile(0));
        Assert.Equal(7, window.Quantile(1));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(8, 4)]
    [InlineData(51, 5)]
    [InlineData(200, 6)]
    public void Kernel_RandomWithTies_EqualsSortingTheWindow(int w, int seed)
    {
        var rng = new Random(seed);
        var window = new RollingQuantile(w);
        var history = new List<double>();
        double[] ps = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1];
        for (var t = 0; t < 2000; t++)
        {
            // Few distinct values (many ties), occasionally a wide one.
            var x = t % 97 == 0 ? rng.NextDouble() * 1e6 - 5e5 : Math.Round(rng.NextDouble() * 10) / 2;
            window.Add(x);
            history.Add(x);
            var expected = history.Skip(Math.Max(0, history.Count - w)).Order().ToArray();
            Assert.Equal(expected, window.Sorted.ToArray());
            foreach (var p in ps)
            {
                Assert.Equal(ReferenceQuantile(expected, p), window.Quantile(p));
            }

            var median = ReferenceQuantile(expected, 0.5);
            Assert.Equal(ReferenceQuantile(expected.Select(v => Math.Abs(v - median)).Order().ToArray(), 0.5), window.MedianAbsoluteDeviation());
        }
    }

    [Fact]
    public void Kernel_RejectsNonFiniteValues_AndEmptyWindow()
    {
        var window = new RollingQuantile(3);
        Assert.Throws<InvalidOperationException>(() => window.Median);
        Assert.Throws<InvalidOperationException>(() => window.MedianAbsoluteDeviation());
        Assert.Throws<ArgumentOutOfRangeException>(() => window.Add(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => window.Add(double.PositiveInfinity));
        window.Add(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => window.Quantile(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RollingQuantile(0));
        window.Clear();
        Assert.Equal(0, window.Count);
        window.Add(4);
        Assert.Equal(4, window.Median);
    }

    [Fact]
    public void Operator_MissingValues_AreSkipped_WindowUnchanged()
    {
        var options = new RollingQuantileOptions(3);
        var withGaps = AssertStreamEqualsBatch(options, Series("s", 5, null, 1, 9, null, 4));
        var without = AssertStreamEqualsBatch(options, Series("s", 5, 1, 9, 4));

        Assert.Equal([null, null, null, 5.0, null, 4.0], withGaps.Select(r => r.Value));
        Assert.Equal([null, null, 5.0, 4.0], without.Select(r => r.Value));
    }

    [Fact]
    public void Operator_MinCount_EmitsPartialWindows()
    {
        var r = AssertStreamEqualsBatch(new RollingQuantileOptions(3, MinCount: 2), Series("s", 5, 1, 9, 4));
        Assert.Equal([null, 3.0, 5.0, 4.0], r.Select(x => x.Value));
    }

    [Fact]
    public void Operator_Mad_AndMedianShortcuts()
    {
        var input = Series("s", 3, 1, 4, 1, 5);
        var mad = input.ToObservable().RollingMad(4).ToList().Wait();
        var median = input.ToObservable().RollingMedian(4).ToList().Wait();
        Assert.Equal([null, null, null, 1.0, 1.5], mad.Select(x => x.Value));
        Assert.Equal([null, null, null, 2.0, 2.5], median.Select(x => x.Value));
        Assert.Equal(mad, RollingQuantileBatch.Compute(new RollingQuantileOptions(4, Statistic: RollingQuantileStatistic.Mad), input));
    }

    [Fact]
    public void Operator_PerSeries_StateIsIsolated_AndObservationsCarriedThrough()
    {
        var a = Series("a", 3, 1, 4, 1, 5, 9);
        var b = Series("b", 100, -50, 7, 1e6, 3, 2);
        b[2] = b[2] with { Label = AnomalyLabel.Anomaly(AnomalyKind.Spike, 1) };
        var options = new RollingQuantileOptions(3, 0.25);
        var mixedInput = Interleave(a, b);
        var mixed = AssertStreamEqualsBatch(options, mixedInput);
        var alone = AssertStreamEqualsBatch(options, a);

        Assert.Equal(alone.Select(r => r.Value), mixed.Where(r => r.Observation.Series == "a").Select(r => r.Value));
        Assert.Equal(mixedInput, mixed.Select(r => r.Observation));
    }

    [Fact]
    public void Batch_PresentValuesSpan_EqualsFullWindowOutputs()
    {
        var rng = new Random(9);
        var values = Enumerable.Range(0, 500).Select(_ => rng.NextDouble()).ToArray();
        foreach (var options in new[] { new RollingQuantileOptions(20, 0.8), new RollingQuantileOptions(20, Statistic: RollingQuantileStatistic.Mad) })
        {
            var full = new double[values.Length - 19];
            RollingQuantileBatch.Compute(options, values, full);
            var nullable = new double?[values.Length];
            RollingQuantileBatch.Compute(options, values.Select(v => (double?)v).ToArray(), nullable);
            Assert.Equal(nullable.Skip(19).Select(v => v!.Value), full);
        }
    }

    [Fact]
    public void Operator_Subscriptions_AreIndependent_ErrorsPassThrough_DisposeStops()
    {
        var subject = new Subject<LabeledObservation>();
        var op = subject.RollingQuantile(new RollingQuantileOptions(2));
        var first = new List<double?>();
        var second = new List<double?>();
        Exception? error = null;
        var s1 = op.Subscribe(r => first.Add(r.Value), e => error = e);
        subject.OnNext(Series("s", 1)[0]);
        subject.OnNext(Series("s", 3)[0]);
        using var s2 = op.Subscribe(r => second.Add(r.Value), _ => { });
        subject.OnNext(Series("s", 5)[0]);
        s1.Dispose();
        subject.OnNext(Series("s", 7)[0]);
        var boom = new InvalidOperationException("boom");
        subject.OnError(boom);

        Assert.Equal([null, 2.0, 4.0], first);
        Assert.Equal([null, 6.0], second);
        Assert.Null(error);
        Assert.False(subject.HasObservers);
    }

    [Fact]
    public void Operator_ErrorsAndCompletion_FollowTheGrammar()
    {
        var subject = new Subject<LabeledObservation>();
        Exception? error = null;
        var completed = 0;
        using var sub = subject.RollingMedian(2).Subscribe(_ => { }, e => error = e, () => completed++);
        var boom = new InvalidOperationException("boom");
        subject.OnError(boom);
        Assert.Same(boom, error);
        Assert.Equal(0, completed);
    }

    [Theory]
    [InlineData(0, 0.5, null, "Window")]
    [InlineData(3, -0.1, null, "Probability")]
    [InlineData(3, 1.1, null, "Probability")]
    [InlineData(3, double.NaN, null, "Probability")]
    [InlineData(3, 0.5, 0, "MinCount")]
    [InlineData(3, 0.5, 4, "MinCount")]
    public void Options_OutOfRange_Throw(int window, double p, int? minCount, string param)
    {
        var options = new RollingQuantileOptions(window, p, MinCount: minCount);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Observable.Empty<LabeledObservation>().RollingQuantile(options));
        Assert.Equal(param, e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => RollingQuantileBatch.Compute(options, Array.Empty<LabeledObservation>()));
    }

    private static double ReferenceQuantile(double[] sorted, double p)
    {
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return h - lo == 0 ? sorted[lo] : sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }

    private static RollingQuantileObservation[] AssertStreamEqualsBatch(RollingQuantileOptions options, List<LabeledObservation> input)
    {
        var streamed = input.ToObservable().RollingQuantile(options).ToList().Wait().ToArray();
        var batch = RollingQuantileBatch.Compute(options, input);
        Assert.Equal(batch, streamed);
        foreach (var group in input.Select((o, i) => (o, i)).GroupBy(t => t.o.Series))
        {
            var idx = group.Select(t => t.i).ToArray();
            var span = new double?[idx.Length];
            RollingQuantileBatch.Compute(options, idx.Select(i => input[i].Value).ToArray(), span);
            Assert.Equal(idx.Select(i => batch[i].Value), span);
        }

        return batch;
    }
}
