using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Chunked;
using Workbench.Replay;
using static Workbench.Tests.Replay.ChunkedTestData;

namespace Workbench.Tests.Replay;

/// <summary>
/// <see cref="ObservationReplay.VirtualChunks(IEnumerable{LabeledObservation}, ReplayScheduler, ChunkOptions?)"/>: flattened,
/// the chunks are exactly the per-event replay; the clock, boundaries, errors and disposal are as documented.
/// </summary>
public sealed class ChunkedReplayTests
{
    public static readonly TheoryData<int, ChunkBoundary> Options = new()
    {
        { 1, ChunkBoundary.Instant },
        { 2, ChunkBoundary.Instant },
        { 7, ChunkBoundary.Instant },
        { 1024, ChunkBoundary.Instant },
        { 1, ChunkBoundary.Run },
        { 13, ChunkBoundary.Run },
        { 97, ChunkBoundary.Run },
        { 1024, ChunkBoundary.Run },
    };

    [Fact]
    public void VirtualChunks_NullOrBadArguments_Throw()
    {
        var scheduler = new ReplayScheduler();
        Assert.Throws<ArgumentNullException>(() => ObservationReplay.VirtualChunks((IEnumerable<LabeledObservation>)null!, scheduler));
        Assert.Throws<ArgumentNullException>(() => ObservationReplay.VirtualChunks(Array.Empty<LabeledObservation>(), null!));
        Assert.Throws<ArgumentNullException>(() => ObservationReplay.VirtualChunks((IEnumerable<ObservationBatch>)null!, scheduler));
        Assert.Throws<ArgumentOutOfRangeException>(() => ObservationReplay.VirtualChunks(Array.Empty<LabeledObservation>(), scheduler, new ChunkOptions(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ObservationReplay.VirtualChunks(Array.Empty<LabeledObservation>(), scheduler, new ChunkOptions(4, (ChunkBoundary)9)));
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void VirtualChunks_Flattened_EqualsPerEventReplay(int maxRows, ChunkBoundary boundary)
    {
        foreach (var shape in Shapes)
        {
            foreach (var seed in Seeds)
            {
                var data = Make(shape, seed);
                var expected = PerEvent(data, runToCompletion: true);
                foreach (var runToCompletion in new[] { true, false })
                {
                    var (chunks, flat, completed) = Chunked(data, new ChunkOptions(maxRows, boundary), runToCompletion);
                    Assert.True(completed);
                    Assert.Equal(ReplayTestKit.Key(expected), ReplayTestKit.Key(flat));
                    Assert.All(chunks, c => Assert.InRange(c.Rows, 1, maxRows));
                    if (boundary == ChunkBoundary.Instant || !runToCompletion)
                    {
                        Assert.All(chunks, c => Assert.Equal(c.First, c.Last));
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(17)]
    public void VirtualChunks_BatchSource_EqualsPerEventReplay(int sourceBatch)
    {
        foreach (var shape in Shapes)
        {
            var data = Make(shape, 5);
            var source = new ReusingBatchSource(data, sourceBatch);
            var scheduler = new ReplayScheduler();
            var flat = new List<LabeledObservation>();
            var completed = false;
            using (ObservationReplay.VirtualChunks(source, scheduler, new ChunkOptions(11, ChunkBoundary.Run)).ToObservations()
                .Subscribe(flat.Add, () => completed = true))
            {
                scheduler.RunToCompletion();
            }

            Assert.True(completed);
            Assert.Equal(ReplayTestKit.Key(data), ReplayTestKit.Key(flat));
        }
    }

    [Fact]
    public void VirtualChunks_Instant_ClockEqualsEveryRowTimestamp()
    {
        var data = Make(Shape.Irregular, 3);
        foreach (var runToCompletion in new[] { true, false })
        {
            var scheduler = new ReplayScheduler();
            var rows = 0;
            using (ObservationReplay.VirtualChunks(data, scheduler, new ChunkOptions(5)).Subscribe(c =>
            {
                for (var i = 0; i < c.Count; i++)
                {
                    Assert.Equal(c.Timestamps[i], scheduler.UtcNow);
                }

                rows += c.Count;
            }))
            {
                Run(scheduler, runToCompletion);
            }

            Assert.Equal(data.Length, rows);
        }
    }

    [Fact]
    public void VirtualChunks_Instant_CutsAtEveryTimestampAndAtMaxRows()
    {
        var data = Make(Shape.Aligned, 9);
        var scheduler = new ReplayScheduler();
        var sizes = new List<int>();
        using (ObservationReplay.VirtualChunks(data, scheduler, new ChunkOptions(3)).Subscribe(c => sizes.Add(c.Count)))
        {
            scheduler.RunToCompletion();
        }

        var expected = data.GroupBy(o => o.Timestamp).SelectMany(g => Enumerable.Range(0, (g.Count() + 2) / 3).Select(k => Math.Min(3, g.Count() - (3 * k))));
        Assert.Equal(expected, sizes);
    }

    [Fact]
    public void VirtualChunks_Run_ClockAtLastRowAndNeverSpansQueuedWork()
    {
        var data = Make(Shape.Single, 2, rows: 600);
        var timers = new[] { 17, 18, 100, 333 }.Select(m => T0.AddMinutes(m).AddSeconds(30)).ToArray();
        var expected = Interleaving(data, timers, chunked: null);
        var actual = Interleaving(data, timers, chunked: new ChunkOptions(1024, ChunkBoundary.Run));
        Assert.Equal(expected, actual);

        var scheduler = new ReplayScheduler(T0);
        var chunks = new List<(DateTime First, DateTime Last, DateTime Clock)>();
        foreach (var t in timers)
        {
            scheduler.ScheduleAbsolute(new DateTimeOffset(t), () => { });
        }

        using (ObservationReplay.VirtualChunks(data, scheduler, new ChunkOptions(1024, ChunkBoundary.Run))
            .Subscribe(c => chunks.Add((c.Timestamps[0], c.Timestamps[c.Count - 1], scheduler.UtcNow))))
        {
            scheduler.RunToCompletion();
        }

        Assert.All(chunks, c => Assert.Equal(c.Last, c.Clock));
        Assert.All(chunks, c => Assert.DoesNotContain(timers, t => c.First < t && t <= c.Last));
        Assert.Equal(timers.Length + 1, chunks.Count); // cut exactly at the timers, nowhere else
    }

    [Theory]
    [InlineData(ChunkBoundary.Instant)]
    [InlineData(ChunkBoundary.Run)]
    public void VirtualChunks_InterleavesWithQueuedWorkLikePerEvent(ChunkBoundary boundary)
    {
        var data = Make(Shape.Irregular, 8, rows: 400);
        var timers = data.Where((_, i) => i % 37 == 0).Select(o => o.Timestamp).Concat(data.Where((_, i) => i % 53 == 0).Select(o => o.Timestamp.AddSeconds(1))).ToArray();
        Assert.Equal(Interleaving(data, timers, chunked: null), Interleaving(data, timers, chunked: new ChunkOptions(64, boundary)));
    }

    [Fact]
    public void VirtualChunks_TwoReplaysOnOneScheduler_TimestampOrderTiesInSubscriptionOrder()
    {
        var a = Make(Shape.Aligned, 1, rows: 300);
        var b = Make(Shape.Irregular, 2, rows: 300).Select(o => o with { Series = "b" + o.Series }).ToArray();
        var perEvent = new List<LabeledObservation>();
        var perEventScheduler = new ReplayScheduler();
        using (ObservationReplay.Virtual(a, perEventScheduler).Subscribe(perEvent.Add))
        using (ObservationReplay.Virtual(b, perEventScheduler).Subscribe(perEvent.Add))
        {
            perEventScheduler.RunToCompletion();
        }

        var chunked = new List<LabeledObservation>();
        var scheduler = new ReplayScheduler();
        using (ObservationReplay.VirtualChunks(a, scheduler).ToObservations().Subscribe(chunked.Add))
        using (ObservationReplay.VirtualChunks(b, scheduler).ToObservations().Subscribe(chunked.Add))
        {
            scheduler.RunToCompletion();
        }

        Assert.Equal(ReplayTestKit.Key(perEvent), ReplayTestKit.Key(chunked));
    }

    [Fact]
    public void VirtualChunks_AdvanceTo_DeliversExactlyTheRowsUpToTheTarget()
    {
        var data = Make(Shape.Aligned, 4, rows: 200);
        var scheduler = new ReplayScheduler(T0);
        var flat = new List<LabeledObservation>();
        using (ObservationReplay.VirtualChunks(data, scheduler, new ChunkOptions(1024, ChunkBoundary.Run)).ToObservations().Subscribe(flat.Add))
        {
            var target = T0.AddMinutes(10);
            scheduler.AdvanceTo(new DateTimeOffset(target));
            Assert.Equal(ReplayTestKit.Key(data.Where(o => o.Timestamp <= target)), ReplayTestKit.Key(flat));
            scheduler.RunToCompletion();
        }

        Assert.Equal(ReplayTestKit.Key(data), ReplayTestKit.Key(flat));
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void VirtualChunks_OutOfOrderRow_DeliversThePrefixThenTheSameError(int maxRows, ChunkBoundary boundary)
    {
        var data = Make(Shape.Irregular, 6, rows: 300);
        var bad = 157;
        data[bad] = data[bad] with { Timestamp = data[bad - 1].Timestamp.AddHours(-1) };
        var (expected, expectedError) = PerEventWithError(data);
        var scheduler = new ReplayScheduler();
        var flat = new List<LabeledObservation>();
        Exception? error = null;
        using (ObservationReplay.VirtualChunks(data, scheduler, new ChunkOptions(maxRows, boundary)).ToObservations().Subscribe(flat.Add, e => error = e))
        {
            scheduler.RunToCompletion();
        }

        Assert.Equal(bad, flat.Count);
        Assert.Equal(ReplayTestKit.Key(expected), ReplayTestKit.Key(flat));
        var order = Assert.IsType<ObservationOrderException>(error);
        Assert.Equal(expectedError!.Message, order.Message);
        Assert.Equal(0, scheduler.ActiveReplays);
    }

    [Fact]
    public void VirtualChunks_FailingSource_DeliversThePrefixThenTheErrorAndReleasesTheSource()
    {
        var data = Make(Shape.Aligned, 6, rows: 300);
        var source = new CountingSource(data, failAt: 123);
        var scheduler = new ReplayScheduler();
        var flat = new List<LabeledObservation>();
        Exception? error = null;
        using (ObservationReplay.VirtualChunks(source, scheduler, new ChunkOptions(50, ChunkBoundary.Run)).ToObservations().Subscribe(flat.Add, e => error = e))
        {
            scheduler.RunToCompletion();
        }

        Assert.Equal(ReplayTestKit.Key(data.Take(123)), ReplayTestKit.Key(flat));
        Assert.Equal("source failed at 123", Assert.IsType<InvalidOperationException>(error).Message);
        Assert.Equal(1, source.Disposals);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1024)]
    public void VirtualChunks_DisposedInOnNext_StopsReadingAndReleasesTheSource(int maxRows)
    {
        var data = Make(Shape.Single, 3, rows: 5000);
        var source = new CountingSource(data);
        var scheduler = new ReplayScheduler();
        var delivered = 0;
        var chunks = 0;
        IDisposable? subscription = null;
        subscription = ObservationReplay.VirtualChunks(source, scheduler, new ChunkOptions(maxRows, ChunkBoundary.Run)).Subscribe(c =>
        {
            delivered += c.Count;
            if (++chunks == 3)
            {
                subscription!.Dispose();
            }
        });
        scheduler.RunToCompletion();

        Assert.Equal(3, chunks);
        Assert.Equal(delivered + 1, source.Reads); // one read ahead, no more
        Assert.Equal(1, source.Disposals);
        Assert.Equal(0, scheduler.ActiveReplays);
    }

    [Fact]
    public void VirtualChunks_DisposedBeforeRunning_ReadsNothing()
    {
        var source = new CountingSource(Make(Shape.Single, 3, rows: 50));
        var scheduler = new ReplayScheduler();
        ObservationReplay.VirtualChunks(source, scheduler).Subscribe(_ => Assert.Fail("no chunk expected")).Dispose();
        scheduler.RunToCompletion();
        Assert.Equal(0, source.Enumerations);
    }

    [Fact]
    public void VirtualChunks_IsCold_EverySubscriptionReadsAnew()
    {
        var data = Make(Shape.Aligned, 3, rows: 120);
        var source = new CountingSource(data);
        var chunks = ObservationReplay.VirtualChunks(source, new ReplayScheduler());
        for (var k = 0; k < 2; k++)
        {
            var scheduler = new ReplayScheduler();
            var flat = new List<LabeledObservation>();
            using (ObservationReplay.VirtualChunks(source, scheduler).ToObservations().Subscribe(flat.Add))
            {
                scheduler.RunToCompletion();
            }

            Assert.Equal(ReplayTestKit.Key(data), ReplayTestKit.Key(flat));
        }

        Assert.Equal(2, source.Enumerations);
        GC.KeepAlive(chunks);
    }

    [Fact]
    public void VirtualChunks_SeriesTable_NumbersSeriesInOrderOfFirstAppearance()
    {
        var data = Make(Shape.Irregular, 11, rows: 300);
        var scheduler = new ReplayScheduler();
        IReadOnlyList<string>? names = null;
        using (ObservationReplay.VirtualChunks(data, scheduler, new ChunkOptions(4, ChunkBoundary.Run)).Subscribe(c =>
        {
            names ??= c.SeriesNames;
            Assert.Same(names, c.SeriesNames);
        }))
        {
            scheduler.RunToCompletion();
        }

        Assert.Equal(data.Select(o => o.Series).Distinct(), names);
    }

    private static List<LabeledObservation> PerEvent(IEnumerable<LabeledObservation> data, bool runToCompletion)
    {
        var scheduler = new ReplayScheduler();
        var list = new List<LabeledObservation>();
        using (ObservationReplay.Virtual(data, scheduler).Subscribe(list.Add))
        {
            Run(scheduler, runToCompletion);
        }

        return list;
    }

    private static (List<LabeledObservation>, Exception?) PerEventWithError(IEnumerable<LabeledObservation> data)
    {
        var scheduler = new ReplayScheduler();
        var list = new List<LabeledObservation>();
        Exception? error = null;
        using (ObservationReplay.Virtual(data, scheduler).Subscribe(list.Add, e => error = e))
        {
            scheduler.RunToCompletion();
        }

        return (list, error);
    }

    private static (List<(int Rows, DateTime First, DateTime Last)> Chunks, List<LabeledObservation> Flat, bool Completed) Chunked(
        IEnumerable<LabeledObservation> data, ChunkOptions options, bool runToCompletion)
    {
        var scheduler = new ReplayScheduler();
        var chunks = new List<(int, DateTime, DateTime)>();
        var flat = new List<LabeledObservation>();
        var completed = false;
        using (ObservationReplay.VirtualChunks(data, scheduler, options).Subscribe(
            c =>
            {
                chunks.Add((c.Count, c.Timestamps[0], c.Timestamps[c.Count - 1]));
                flat.AddRange(c.AsObservations());
            },
            () => completed = true))
        {
            Run(scheduler, runToCompletion);
        }

        return (chunks, flat, completed);
    }

    /// <summary>The order in which rows and pre-scheduled timers run (rows as their index, timers as −1 − k), with the clock at each.</summary>
    private static List<(int Item, DateTimeOffset Clock)> Interleaving(LabeledObservation[] data, DateTime[] timers, ChunkOptions? chunked)
    {
        var scheduler = new ReplayScheduler(data[0].Timestamp.AddHours(-1));
        var log = new List<(int, DateTimeOffset)>();
        for (var k = 0; k < timers.Length; k++)
        {
            var id = -1 - k;
            scheduler.ScheduleAbsolute(new DateTimeOffset(timers[k]), () => log.Add((id, scheduler.Now)));
        }

        var row = 0;
        using (chunked is null
            ? ObservationReplay.Virtual(data, scheduler).Subscribe(o => log.Add((row++, new DateTimeOffset(o.Timestamp))))
            : ObservationReplay.VirtualChunks(data, scheduler, chunked).Subscribe(c =>
            {
                for (var i = 0; i < c.Count; i++)
                {
                    log.Add((row++, new DateTimeOffset(c.Timestamps[i])));
                }
            }))
        {
            scheduler.RunToCompletion();
        }

        return log;
    }

    private static void Run(ReplayScheduler scheduler, bool runToCompletion)
    {
        if (runToCompletion)
        {
            scheduler.RunToCompletion();
        }
        else
        {
            scheduler.Start();
        }
    }
}
