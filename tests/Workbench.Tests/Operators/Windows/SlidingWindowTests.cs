using System.Reactive.Linq;
using System.Reactive.Subjects;
using Workbench.Core;
using Workbench.Operators.Hygiene;
using Workbench.Operators.Windows;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Windows;

public class SlidingWindowTests
{
    private static WindowedObservation[] Run(SlidingWindowOptions options, IReadOnlyList<LabeledObservation> input)
    {
        var streamed = input.ToObservable().SlidingAggregate(options).ToList().Wait();
        var batch = WindowBatch.SlidingAggregate(input, options);
        Assert.Equal(batch, streamed);
        foreach (var group in input.GroupBy(o => o.Series))
        {
            var rows = group.ToArray();
            var span = new WindowStats[rows.Length];
            WindowBatch.SlidingAggregate(group.Key, rows.Select(o => o.Timestamp).ToArray(), rows.Select(o => o.Value).ToArray(), span, options);
            Assert.Equal(batch.Where(b => b.Observation.Series == group.Key).Select(b => b.Window), span);
        }

        // The aggregates equal a brute-force computation over the window contents.
        var contents = WindowBatch.SlidingWindow(input, options);
        Assert.Equal(contents, input.ToObservable().SlidingWindow(options).ToList().Wait(), new ContentsComparer());
        for (var i = 0; i < batch.Length; i++)
        {
            Assert.Equal(input[i], batch[i].Observation);
            Assert.Equal(input[i], contents[i].Contents[^1]);
            AssertStats(BruteForce(contents[i].Contents), batch[i].Window);
        }

        return batch;
    }

    [Fact]
    public void ByCount_HandComputed_MissingSkippedAndCounted()
    {
        var w = Run(SlidingWindowOptions.ByCount(3), Series("s", 1, null, 3, 5, 2)).Select(x => x.Window).ToArray();
        Assert.Equal(new WindowStats(1, 0, 1, 1, 1, 1, 1, 1), w[0]);
        Assert.Equal(new WindowStats(1, 1, 1, 1, 1, 1, 1, 1), w[1]);
        Assert.Equal(new WindowStats(2, 1, 4, 2, 1, 3, 1, 3), w[2]);
        Assert.Equal(new WindowStats(2, 1, 8, 4, 3, 5, 3, 5), w[3]);
        Assert.Equal(new WindowStats(3, 0, 10, 10.0 / 3, 2, 5, 3, 2), w[4]);
    }

    [Fact]
    public void ByTime_IsLeftOpenRightClosed()
    {
        // Span 2 minutes over t = 0, 1, 1.5, 3, 10 (minutes): at 3 the window (1, 3] holds 1.5 and 3 only.
        List<LabeledObservation> input =
        [
            LabeledObservation.Normal("s", T0, 1), LabeledObservation.Normal("s", T0.AddMinutes(1), 2),
            LabeledObservation.Normal("s", T0.AddMinutes(1.5), 3), LabeledObservation.Normal("s", T0.AddMinutes(3), 4),
            LabeledObservation.Normal("s", T0.AddMinutes(10), null),
        ];
        var w = Run(SlidingWindowOptions.ByTime(TimeSpan.FromMinutes(2)), input).Select(x => x.Window).ToArray();
        Assert.Equal([1L, 2, 3, 2, 0], w.Select(s => s.Count));
        Assert.Equal(new WindowStats(2, 0, 7, 3.5, 3, 4, 3, 4), w[3]);
        Assert.Equal(new WindowStats(0, 1, 0, null, null, null, null, null), w[4]);
        Assert.Equal(1, w[4].Observations);
    }

    [Theory]
    [InlineData(1, null)]
    [InlineData(4, null)]
    [InlineData(50, null)]
    [InlineData(null, 1)]
    [InlineData(null, 7)]
    [InlineData(null, 4000)]
    public void RandomMultiSeries_MatchesBruteForce_StreamEqualsBatch(int? count, int? spanMinutes)
    {
        // Irregular timestamps (ties included), 3 series, 15 % missing, integer values (exact sums) and ties in min/max.
        var rng = new Random(17);
        var input = new List<LabeledObservation>();
        var t = T0;
        for (var i = 0; i < 1500; i++)
        {
            t = t.AddMinutes(rng.Next(3));
            input.Add(LabeledObservation.Normal("s" + rng.Next(3), t, rng.NextDouble() < 0.15 ? null : rng.Next(-20, 20)));
        }

        Run(new SlidingWindowOptions(count, spanMinutes is { } m ? TimeSpan.FromMinutes(m) : null), input);
    }

    [Fact]
    public void PerSeries_StateIsIsolated()
    {
        var a = Series("a", 1, 2, 3, 4, 5);
        var mixed = Run(SlidingWindowOptions.ByCount(2), Interleave(a, Series("b", 100, 200, null, 300, 400)));
        Assert.Equal(Run(SlidingWindowOptions.ByCount(2), a).Select(x => x.Window), mixed.Where(x => x.Observation.Series == "a").Select(x => x.Window));
    }

    [Fact]
    public void EarlierTimestampInASeries_FailsWithOrderException()
    {
        List<LabeledObservation> input = [LabeledObservation.Normal("s", T0.AddMinutes(2), 1), LabeledObservation.Normal("t", T0, 1), LabeledObservation.Normal("s", T0.AddMinutes(1), 1)];
        var e = Assert.Throws<ObservationOrderException>(() => WindowBatch.SlidingAggregate(input, SlidingWindowOptions.ByCount(3)));
        Assert.Equal(("s", T0.AddMinutes(1), T0.AddMinutes(2)), (e.Series, e.Timestamp, e.Previous));
        Assert.Throws<ObservationOrderException>(() => WindowBatch.SlidingWindow(input, SlidingWindowOptions.ByTime(TimeSpan.FromMinutes(1))));
        Exception? error = null;
        input.ToObservable().SlidingAggregate(SlidingWindowOptions.ByCount(3)).Subscribe(_ => { }, ex => error = ex);
        Assert.IsType<ObservationOrderException>(error);
    }

    [Fact]
    public void LargeOffsets_SumStaysAccurate()
    {
        // 1e12 + small steps: a plain running sum that adds and subtracts would drift; the compensated sum does not.
        var values = Enumerable.Range(0, 100_000).Select(i => (double?)(1e12 + (i % 7) + 0.1)).ToArray();
        var stats = new WindowStats[values.Length];
        WindowBatch.SlidingAggregate("s", values.Select((_, i) => T0.AddSeconds(i)).ToArray(), values, stats, SlidingWindowOptions.ByCount(5));
        var last = values[^5..].Sum(v => v!.Value - 1e12);
        Assert.Equal(last, stats[^1].Sum - 5e12, 3);
    }

    [Fact]
    public void Subscriptions_AreIndependent_AndDisposeStops()
    {
        var subject = new Subject<LabeledObservation>();
        var op = subject.SlidingAggregate(SlidingWindowOptions.ByCount(10));
        var first = new List<long>();
        var second = new List<long>();
        using var s1 = op.Subscribe(w => first.Add(w.Window.Count));
        foreach (var o in Series("s", 1, 2, 3))
        {
            subject.OnNext(o);
        }

        var s2 = op.Subscribe(w => second.Add(w.Window.Count));
        subject.OnNext(Series("s", 1, 2, 3, 4)[3]);
        s2.Dispose();
        subject.OnNext(Series("s", 1, 2, 3, 4, 5)[4]);
        Assert.Equal([1L, 2, 3, 4, 5], first);
        Assert.Equal([1L], second);
    }

    [Fact]
    public void Options_Invalid_Throw()
    {
        var source = Observable.Empty<LabeledObservation>();
        Assert.Throws<ArgumentOutOfRangeException>(() => source.SlidingAggregate(new SlidingWindowOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.SlidingAggregate(new SlidingWindowOptions(3, TimeSpan.FromMinutes(1))));
        Assert.Equal("Count", Assert.Throws<ArgumentOutOfRangeException>(() => source.SlidingWindow(SlidingWindowOptions.ByCount(0))).ParamName);
        Assert.Equal("Span", Assert.Throws<ArgumentOutOfRangeException>(() => source.SlidingWindow(SlidingWindowOptions.ByTime(TimeSpan.Zero))).ParamName);
        Assert.Throws<ArgumentException>(() => WindowBatch.SlidingAggregate("s", new DateTime[2], new double?[3], new WindowStats[3], SlidingWindowOptions.ByCount(2)));
    }

    private static WindowStats BruteForce(IReadOnlyList<LabeledObservation> window)
    {
        var present = window.Where(o => o.Value.HasValue).Select(o => o.Value!.Value).ToArray();
        var missing = window.Count - present.Length;
        return present.Length == 0
            ? new WindowStats(0, missing, 0, null, null, null, null, null)
            : new WindowStats(present.Length, missing, present.Sum(), present.Average(), present.Min(), present.Max(), present[0], present[^1]);
    }

    private static void AssertStats(WindowStats expected, WindowStats actual)
    {
        Assert.Equal(expected with { Sum = 0, Mean = null }, actual with { Sum = 0, Mean = null });
        Assert.Equal(expected.Sum, actual.Sum, 9);
        Assert.Equal(expected.Mean ?? double.NaN, actual.Mean ?? double.NaN, 9);
    }

    private sealed class ContentsComparer : IEqualityComparer<ObservationWindow>
    {
        public bool Equals(ObservationWindow? x, ObservationWindow? y) =>
            x is not null && y is not null && x.Observation == y.Observation && x.Contents.SequenceEqual(y.Contents);

        public int GetHashCode(ObservationWindow obj) => obj.Observation.GetHashCode();
    }
}
