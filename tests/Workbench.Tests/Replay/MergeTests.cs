using Workbench.Core;
using Workbench.Replay;
using static Workbench.Tests.Replay.ReplayTestKit;

namespace Workbench.Tests.Replay;

public class MergeTests
{
    private static LabeledObservation O(string series, int minute, double value) => LabeledObservation.Normal(series, T0.AddMinutes(minute), value);

    [Fact]
    public void Merge_OrdersByTimestamp_TiesBySourceIndexThenSourceOrder()
    {
        IReadOnlyList<LabeledObservation>[] sources =
        [
            [O("z", 0, 1), O("z", 2, 2), O("y", 2, 3), O("z", 5, 4)],
            [O("a", 0, 10), O("a", 1, 11), O("b", 2, 12), O("a", 2, 13)],
            [],
            [O("m", 2, 20), O("m", 6, 21)],
        ];
        var merged = ObservationReplay.Merge(sources).ToList();

        Assert.Equal([1.0, 10, 11, 2, 3, 12, 13, 20, 4, 21], merged.Select(o => o.Value!.Value));
        Assert.Equal(merged.Select(o => o.Timestamp).Order(), merged.Select(o => o.Timestamp));
    }

    [Fact]
    public void Merge_ManySources_EqualsAStableSortBySourceIndex()
    {
        var random = new Random(20240101);
        var sources = Enumerable.Range(0, 13).Select(s =>
        {
            var t = 0;
            return (IReadOnlyList<LabeledObservation>)[.. Enumerable.Range(0, random.Next(0, 60)).Select(i =>
            {
                t += random.Next(0, 3);
                return O($"s{s}", t, (s * 1000) + i);
            })];
        }).ToArray();

        var expected = sources.SelectMany((src, s) => src.Select((o, i) => (o, s, i)))
            .OrderBy(x => x.o.Timestamp).ThenBy(x => x.s).ThenBy(x => x.i).Select(x => x.o);
        Assert.Equal(Key(expected), Key(ObservationReplay.Merge(sources)));
    }

    [Fact]
    public void Merge_IsLazy_ReadsOneAheadPerSource_AndReenumerable()
    {
        var a = new CountingSource(Regular(100, TimeSpan.FromMinutes(1), "a"));
        var b = new CountingSource(Regular(100, TimeSpan.FromMinutes(1), "b"));
        var merged = ObservationReplay.Merge([a, b]);
        Assert.Equal(0, a.Enumerations);

        var firstFive = merged.Take(5).ToList();
        Assert.Equal(["a", "b", "a", "b", "a"], firstFive.Select(o => o.Series));
        Assert.Equal(3, a.Reads); // a0 a1 a2
        Assert.Equal(3, b.Reads); // b0 b1 and b2 read ahead
        Assert.Equal(1, a.Disposals);
        Assert.Equal(1, b.Disposals);

        Assert.Equal(200, merged.Count());
        Assert.Equal(2, a.Enumerations);
    }

    [Fact]
    public void Merge_SourceOutOfOrder_ThrowsWithTheSourceIndex()
    {
        IReadOnlyList<LabeledObservation>[] sources =
        [
            [O("a", 0, 1), O("a", 1, 2)],
            [O("b", 0, 1), O("b", 3, 2), O("b", 2, 3)],
        ];
        var error = Assert.Throws<ObservationOrderException>(() => ObservationReplay.Merge(sources).ToList());
        Assert.Equal(1, error.SourceIndex);
        Assert.Equal(2, error.Index);
        Assert.Equal("b", error.Series);
        Assert.Equal(T0.AddMinutes(3), error.PreviousTimestamp);
        Assert.Contains("source 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_NoSources_IsEmpty_NullSourceThrows()
    {
        Assert.Empty(ObservationReplay.Merge(Array.Empty<IEnumerable<LabeledObservation>>()));
        Assert.Throws<ArgumentNullException>(() => ObservationReplay.Merge((IReadOnlyList<IEnumerable<LabeledObservation>>)null!));
        Assert.Throws<ArgumentException>(() => ObservationReplay.Merge([Regular(1, TimeSpan.FromMinutes(1)), null!]));
    }

    [Fact]
    public void Merge_BatchSourcesWithDifferentSeriesTables_MergeByNameAndTime()
    {
        var x = MixedSeries(12);
        var y = Regular(30, TimeSpan.FromSeconds(20), "q");
        var merged = ObservationReplay.Merge([new ReusingBatchSource(x, 5), new ReusingBatchSource(y, 7)]).ToList();
        var expected = ObservationReplay.Merge([x, y]).ToList();
        Assert.Equal(Key(expected), Key(merged));
        Assert.Equal(x.Length + y.Length, merged.Count);
    }

    [Fact]
    public void Merge_ReplayedVirtually_KeepsTheMergeOrderAndTheClockRule()
    {
        var merged = ObservationReplay.Merge([Regular(3, TimeSpan.FromMinutes(1), "b"), Regular(3, TimeSpan.FromMinutes(1), "a")]);
        var scheduler = new ReplayScheduler(T0);
        var seen = new List<string>();
        using var sub = ObservationReplay.Virtual(merged, scheduler).Subscribe(o =>
        {
            Assert.Equal(o.Timestamp, scheduler.UtcNow);
            seen.Add($"{o.Series}{o.Value}");
        });
        scheduler.RunToCompletion();
        Assert.Equal(["b0", "a0", "b1", "a1", "b2", "a2"], seen);
    }
}
