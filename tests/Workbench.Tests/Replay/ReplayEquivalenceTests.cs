using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Replay;
using static Workbench.Tests.Replay.ReplayTestKit;

namespace Workbench.Tests.Replay;

public class ReplayEquivalenceTests
{
    /// <summary>Three series with ties, gaps, missing values and labels, merged into canonical order.</summary>
    private static IReadOnlyList<LabeledObservation> Source()
    {
        var a = ObservationSource.FromSeries("a", T0, TimeSpan.FromMinutes(1), [.. Enumerable.Range(0, 40).Select(i => i % 7 == 0 ? null : (double?)i)]);
        var b = ObservationSource.FromSeries("b", T0.AddSeconds(30), TimeSpan.FromMinutes(2), [.. Enumerable.Range(0, 20).Select(i => (double?)(-i))],
            [.. Enumerable.Range(0, 20).Select(i => i is >= 5 and < 8 ? AnomalyLabel.Anomaly(AnomalyKind.LevelShift, 1) : AnomalyLabel.Normal)]);
        var c = ObservationSource.FromSeries("c", T0, TimeSpan.FromMinutes(5), [.. Enumerable.Range(0, 8).Select(i => (double?)(i * 100))]);
        return [.. ObservationReplay.Merge([a, b, c])];
    }

    private static List<LabeledObservation> RunVirtual(IEnumerable<LabeledObservation> source, out List<DateTimeOffset> clockAtOnNext)
    {
        var scheduler = new ReplayScheduler(T0);
        var clock = new List<DateTimeOffset>();
        var seen = new List<LabeledObservation>();
        using var sub = ObservationReplay.Virtual(source, scheduler).Subscribe(o =>
        {
            clock.Add(scheduler.Now);
            seen.Add(o);
        });
        scheduler.RunToCompletion();
        clockAtOnNext = clock;
        return seen;
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1000.0)]
    public void Scaled_OnHistoricalWallClock_DeliversExactlyTheVirtualSequence(double speed)
    {
        var source = Source();
        var virtualSeen = RunVirtual(source, out var clock);
        Assert.Equal(source.Count, virtualSeen.Count);
        Assert.Equal(virtualSeen.Select(o => new DateTimeOffset(o.Timestamp)), clock);

        var wallStart = new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var wall = new HistoricalScheduler(wallStart);
        var session = ObservationReplay.Scaled(source, new ReplayOptions { Speed = speed }, wall);
        var scaledSeen = new List<(DateTimeOffset Wall, LabeledObservation O)>();
        var completed = false;
        using var sub = session.Observations.Subscribe(o => scaledSeen.Add((wall.Now, o)), () => completed = true);
        wall.Start();

        Assert.True(completed);
        Assert.Equal(Key(virtualSeen), Key(scaledSeen.Select(s => s.O)));
        // And each was delivered at its scaled time (the first at the wall start).
        Assert.All(scaledSeen, s => Assert.Equal(wallStart + ((s.O.Timestamp - T0) / speed), s.Wall));
    }

    [Fact]
    public void Virtual_BatchAndObservationSources_AreEquivalent()
    {
        var source = Source();
        var fromObservations = RunVirtual(source, out _);
        var scheduler = new ReplayScheduler(T0);
        var fromBatches = new List<LabeledObservation>();
        using var sub = ObservationReplay.Virtual(new ReusingBatchSource(source, 9), scheduler).Subscribe(fromBatches.Add);
        scheduler.Start();
        Assert.Equal(Key(fromObservations), Key(fromBatches));
    }

    [Fact]
    public void Virtual_DownstreamTimeWindows_MatchWindowsComputedFromTimestamps()
    {
        var source = Source();
        var scheduler = new ReplayScheduler(T0);
        var windows = new List<IList<LabeledObservation>>();
        using var sub = ObservationReplay.Virtual(source, scheduler)
            .Buffer(TimeSpan.FromMinutes(5), scheduler)
            .Subscribe(windows.Add);
        scheduler.RunToCompletion();

        // The same windows computed offline: [T0 + 5k min, T0 + 5(k+1) min).
        var expected = source.GroupBy(o => (o.Timestamp - T0).Ticks / TimeSpan.FromMinutes(5).Ticks)
            .OrderBy(g => g.Key).Select(g => Key(g)).ToList();
        Assert.Equal(expected.Count, windows.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], Key(windows[i]));
        }
    }
}
