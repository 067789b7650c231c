using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Replay;
using static Workbench.Tests.Replay.ReplayTestKit;

namespace Workbench.Tests.Replay;

public class VirtualReplayTests
{
    /// <summary>Runs the scheduler by the plain dispatch loop or by the run-ahead path; both must behave the same.</summary>
    private static void Run(ReplayScheduler scheduler, bool runAhead)
    {
        if (runAhead)
        {
            scheduler.RunToCompletion();
        }
        else
        {
            scheduler.Start();
        }
    }

    [Fact]
    public void Virtual_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => ObservationReplay.Virtual((IEnumerable<LabeledObservation>)null!, new ReplayScheduler()));
        Assert.Throws<ArgumentNullException>(() => ObservationReplay.Virtual(MixedSeries(2), null!));
        Assert.Throws<ArgumentNullException>(() => ObservationReplay.Virtual((IEnumerable<ObservationBatch>)null!, new ReplayScheduler()));
        Assert.Throws<ArgumentException>(() => new ReplayScheduler(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Local)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Virtual_ClockAtEachOnNext_EqualsTimestamp(bool runAhead)
    {
        var data = MixedSeries(50);
        var scheduler = new ReplayScheduler(T0);
        var seen = new List<(DateTimeOffset Now, DateTime UtcNow, LabeledObservation O)>();
        using var sub = ObservationReplay.Virtual(data, scheduler).Subscribe(o => seen.Add((scheduler.Now, scheduler.UtcNow, o)));

        Assert.Empty(seen); // nothing happens until the scheduler runs
        Run(scheduler, runAhead);

        Assert.Equal(Key(data), Key(seen.Select(s => s.O)));
        Assert.All(seen, s => Assert.Equal(s.O.Timestamp, s.Now.UtcDateTime));
        Assert.All(seen, s => Assert.Equal(s.O.Timestamp, s.UtcNow));
        Assert.All(seen, s => Assert.Equal(TimeSpan.Zero, s.Now.Offset));
        Assert.Equal(0, scheduler.ActiveReplays);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Virtual_EmptySource_Completes(bool runAhead)
    {
        var scheduler = new ReplayScheduler(T0);
        var (rec, _) = ObservationReplay.Virtual(Array.Empty<LabeledObservation>(), scheduler).Record(scheduler);
        Run(scheduler, runAhead);
        Assert.True(rec.Completed);
        Assert.Single(rec.Log);
        Assert.Equal(0, scheduler.ActiveReplays);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Virtual_OutOfOrderSource_OnErrorNamesSeriesIndexAndTimestamps(bool runAhead)
    {
        LabeledObservation[] data =
        [
            LabeledObservation.Normal("a", T0, 1),
            LabeledObservation.Normal("b", T0.AddMinutes(2), 2),
            LabeledObservation.Normal("c", T0.AddMinutes(1), 3),
            LabeledObservation.Normal("d", T0.AddMinutes(3), 4),
        ];
        var source = new CountingSource(data);
        var scheduler = new ReplayScheduler(T0);
        var (rec, _) = ObservationReplay.Virtual(source, scheduler).Record(scheduler);
        Run(scheduler, runAhead);

        Assert.Equal(["a", "b"], rec.Values.Select(o => o.Series));
        var error = Assert.IsType<ObservationOrderException>(rec.Error);
        Assert.Equal("c", error.Series);
        Assert.Equal(2, error.Index);
        Assert.Equal(T0.AddMinutes(1), error.Timestamp);
        Assert.Equal("b", error.PreviousSeries);
        Assert.Equal(T0.AddMinutes(2), error.PreviousTimestamp);
        Assert.Null(error.SourceIndex);
        Assert.Contains("'c'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Observation 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("2024-01-01T00:01:00", error.Message, StringComparison.Ordinal);
        Assert.Contains("2024-01-01T00:02:00", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, rec.Terminals);
        Assert.Equal(1, source.Disposals);
    }

    [Fact]
    public void Virtual_EqualTimestamps_AreAllowed()
    {
        var data = Enumerable.Range(0, 5).Select(i => LabeledObservation.Normal($"s{i}", T0, i)).ToArray();
        var scheduler = new ReplayScheduler(T0);
        var (rec, _) = ObservationReplay.Virtual(data, scheduler).Record(scheduler);
        scheduler.Start();
        Assert.Equal(5, rec.Values.Count);
        Assert.True(rec.Completed);
    }

    [Fact]
    public void Virtual_NonUtcTimestamp_OnErrorReplaySourceException()
    {
        LabeledObservation[] data =
        [
            LabeledObservation.Normal("a", T0, 1),
            LabeledObservation.Normal("a", DateTime.SpecifyKind(T0.AddMinutes(1), DateTimeKind.Unspecified), 2),
        ];
        var scheduler = new ReplayScheduler(T0);
        var (rec, _) = ObservationReplay.Virtual(data, scheduler).Record(scheduler);
        scheduler.Start();
        var error = Assert.IsType<ReplaySourceException>(rec.Error);
        Assert.Equal(1, error.Index);
        Assert.Equal("a", error.Series);
        Assert.Contains("Unspecified", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Virtual_NullSeries_OnErrorReplaySourceException()
    {
        LabeledObservation[] data = [LabeledObservation.Normal("a", T0, 1), default];
        var scheduler = new ReplayScheduler(T0);
        var (rec, _) = ObservationReplay.Virtual(data, scheduler).Record(scheduler);
        scheduler.Start();
        Assert.Equal(1, Assert.IsType<ReplaySourceException>(rec.Error).Index);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Virtual_SourceThrows_OnErrorAfterDeliveredPrefix(bool runAhead)
    {
        var source = new CountingSource(Regular(10, TimeSpan.FromSeconds(1)), failAt: 4);
        var scheduler = new ReplayScheduler(T0);
        var (rec, _) = ObservationReplay.Virtual(source, scheduler).Record(scheduler);
        Run(scheduler, runAhead);
        Assert.Equal([0.0, 1, 2, 3], rec.Values.Select(o => o.Value!.Value));
        Assert.Equal("source failed at 4", Assert.IsType<InvalidOperationException>(rec.Error).Message);
        Assert.Equal(1, rec.Terminals);
        Assert.Equal(1, source.Disposals);
        Assert.Equal(0, scheduler.ActiveReplays);
    }

    [Fact]
    public void Virtual_SourceGetEnumeratorThrows_OnError()
    {
        var scheduler = new ReplayScheduler(T0);
        var (rec, _) = ObservationReplay.Virtual(new ThrowingEnumerable(), scheduler).Record(scheduler);
        scheduler.Start();
        Assert.IsType<NotSupportedException>(rec.Error);
    }

    [Fact]
    public void Virtual_ObservationBeforeClock_OnErrorNamesTheClock()
    {
        var scheduler = new ReplayScheduler(T0.AddHours(1));
        var (rec, _) = ObservationReplay.Virtual(Regular(3, TimeSpan.FromMinutes(1)), scheduler).Record(scheduler);
        scheduler.Start();
        var error = Assert.IsType<ObservationOrderException>(rec.Error);
        Assert.Null(error.PreviousSeries);
        Assert.Equal(T0.AddHours(1), error.PreviousTimestamp);
        Assert.Equal(0, error.Index);
        Assert.Contains("clock", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Virtual_TimerDueAtObservationTimestamp_RunsBeforeTheObservation(bool runAhead)
    {
        var scheduler = new ReplayScheduler(T0);
        var log = new List<string>();
        using var timer = Observable.Timer(TimeSpan.FromMinutes(2), scheduler).Subscribe(_ => log.Add($"timer@{scheduler.UtcNow:HH:mm:ss}"));
        using var timer2 = Observable.Timer(TimeSpan.FromSeconds(90), scheduler).Subscribe(_ => log.Add($"timer@{scheduler.UtcNow:HH:mm:ss}"));
        using var sub = ObservationReplay.Virtual(Regular(4, TimeSpan.FromMinutes(1)), scheduler)
            .Subscribe(o => log.Add($"obs{o.Value}@{scheduler.UtcNow:HH:mm:ss}"));
        Run(scheduler, runAhead);

        Assert.Equal(
            ["obs0@00:00:00", "obs1@00:01:00", "timer@00:01:30", "timer@00:02:00", "obs2@00:02:00", "obs3@00:03:00"],
            log);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Virtual_WorkScheduledAtNowByAnObservation_RunsBeforeTheNextObservationAtTheSameTime(bool runAhead)
    {
        LabeledObservation[] data = [.. Enumerable.Range(0, 3).Select(i => LabeledObservation.Normal("s", T0, i))];
        var scheduler = new ReplayScheduler(T0);
        var log = new List<string>();
        using var sub = ObservationReplay.Virtual(data, scheduler).Subscribe(o =>
        {
            log.Add($"obs{o.Value}");
            scheduler.Schedule(() => log.Add($"echo{o.Value}"));
        });
        Run(scheduler, runAhead);
        Assert.Equal(["obs0", "echo0", "obs1", "echo1", "obs2", "echo2"], log);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Virtual_BufferFiveMinutes_TumblingWindowsAreHalfOpen(bool runAhead)
    {
        // One observation per minute for 15 minutes, plus a second series exactly on the 5-minute boundaries.
        var data = Regular(15, TimeSpan.FromMinutes(1)).Concat(
                [LabeledObservation.Normal("edge", T0.AddMinutes(5), 500), LabeledObservation.Normal("edge", T0.AddMinutes(10), 1000)])
            .OrderBy(o => o.Timestamp).ThenBy(o => o.Series, StringComparer.Ordinal).ToArray();
        var scheduler = new ReplayScheduler(T0);
        var windows = new List<(DateTime ClosedAt, IList<LabeledObservation> Items)>();
        using var sub = ObservationReplay.Virtual(data, scheduler)
            .Buffer(TimeSpan.FromMinutes(5), scheduler)
            .Subscribe(w => windows.Add((scheduler.UtcNow, w)));
        Run(scheduler, runAhead);

        Assert.Equal(3, windows.Count);
        for (var w = 0; w < 3; w++)
        {
            var start = T0.AddMinutes(5 * w);
            Assert.All(windows[w].Items, o => Assert.InRange(o.Timestamp, start, start.AddMinutes(5).AddTicks(-1)));
        }

        Assert.Equal(T0.AddMinutes(5), windows[0].ClosedAt);
        Assert.Equal(T0.AddMinutes(10), windows[1].ClosedAt);
        Assert.Equal([0.0, 1, 2, 3, 4], windows[0].Items.Select(o => o.Value!.Value));
        Assert.Equal([500.0, 5, 6, 7, 8, 9], windows[1].Items.Select(o => o.Value!.Value)); // "edge" < "s"
        Assert.Equal([1000.0, 10, 11, 12, 13, 14], windows[2].Items.Select(o => o.Value!.Value));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Virtual_IntervalOnSameScheduler_InterleavesByTime(bool runAhead)
    {
        // Observations every 40 s, an interval every 60 s: the merged log is in time order, and at 120 s, 240 s and
        // 360 s, where a tick and an observation coincide, the tick comes first.
        var scheduler = new ReplayScheduler(T0);
        var log = new List<(DateTime Time, string What)>();
        var replay = ObservationReplay.Virtual(Regular(10, TimeSpan.FromSeconds(40)), scheduler).Publish().RefCount();
        using var ticks = Observable.Interval(TimeSpan.FromMinutes(1), scheduler).TakeUntil(replay.LastAsync())
            .Subscribe(k => log.Add((scheduler.UtcNow, $"tick{k}")));
        using var obs = replay.Subscribe(o => log.Add((scheduler.UtcNow, $"obs{o.Value}")));
        Run(scheduler, runAhead);

        Assert.Equal(
            ["obs0", "obs1", "tick0", "obs2", "tick1", "obs3", "obs4", "tick2", "obs5", "tick3", "obs6", "obs7", "tick4", "obs8", "tick5", "obs9"],
            log.Select(e => e.What));
        Assert.Equal(log.Select(e => e.Time).Order(), log.Select(e => e.Time));
    }

    [Fact]
    public void Virtual_AdvanceTo_DeliversExactlyTheObservationsUpToTheTarget()
    {
        var scheduler = new ReplayScheduler(T0);
        var (rec, _) = ObservationReplay.Virtual(Regular(10, TimeSpan.FromMinutes(1)), scheduler).Record(scheduler);

        scheduler.AdvanceTo(T0.AddMinutes(3).AddSeconds(30));
        Assert.Equal([0.0, 1, 2, 3], rec.Values.Select(o => o.Value!.Value));
        Assert.Equal(T0.AddMinutes(3).AddSeconds(30), scheduler.UtcNow);

        scheduler.AdvanceBy(TimeSpan.FromMinutes(2));
        Assert.Equal(6, rec.Values.Count);
        Assert.False(rec.Completed);

        scheduler.RunToCompletion();
        Assert.Equal(10, rec.Values.Count);
        Assert.True(rec.Completed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Virtual_StopFromObserver_StopsAfterTheCurrentObservation(bool runAhead)
    {
        var scheduler = new ReplayScheduler(T0);
        var (rec, _) = ObservationReplay.Virtual(Regular(10, TimeSpan.FromMinutes(1)), scheduler).Record(scheduler);
        rec.OnNextHook = o =>
        {
            if (o.Value == 4)
            {
                scheduler.Stop();
            }
        };
        Run(scheduler, runAhead);
        Assert.Equal(5, rec.Values.Count);
        Run(scheduler, runAhead);
        Assert.Equal(10, rec.Values.Count);
        Assert.True(rec.Completed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Virtual_DisposeMidStream_StopsDeliveryAndReleasesTheSource(bool runAhead)
    {
        var source = new CountingSource(Regular(100, TimeSpan.FromMinutes(1)));
        var scheduler = new ReplayScheduler(T0);
        var (rec, subscription) = ObservationReplay.Virtual(source, scheduler).Record(scheduler);
        rec.OnNextHook = o =>
        {
            if (o.Value == 9)
            {
                subscription.Dispose();
            }
        };
        Run(scheduler, runAhead);

        Assert.Equal(10, rec.Values.Count);
        Assert.Equal(0, rec.Terminals);
        Assert.Equal(10, source.Reads); // nothing read beyond the observation being delivered
        Assert.Equal(1, source.Disposals);
        Assert.Equal(0, scheduler.ActiveReplays);
    }

    [Fact]
    public void Virtual_DisposeBetweenRuns_NothingMoreIsDelivered()
    {
        var source = new CountingSource(Regular(100, TimeSpan.FromMinutes(1)));
        var scheduler = new ReplayScheduler(T0);
        var (rec, subscription) = ObservationReplay.Virtual(source, scheduler).Record(scheduler);
        scheduler.AdvanceTo(T0.AddMinutes(10));
        subscription.Dispose();
        scheduler.AdvanceBy(TimeSpan.FromDays(1));
        scheduler.Start();

        Assert.Equal(11, rec.Values.Count);
        Assert.Equal(0, rec.Terminals);
        Assert.Equal(1, source.Disposals);
        Assert.Equal(0, scheduler.ActiveReplays);
    }

    [Fact]
    public void Virtual_ObserverThrows_ExceptionReachesTheRunnerAndTheReplayEnds()
    {
        var source = new CountingSource(Regular(10, TimeSpan.FromMinutes(1)));
        var scheduler = new ReplayScheduler(T0);
        var count = 0;
        using var sub = ObservationReplay.Virtual(source, scheduler).Subscribe(o =>
        {
            if (++count == 3)
            {
                throw new InvalidDataException("observer failed");
            }
        });
        Assert.Throws<InvalidDataException>(scheduler.RunToCompletion);
        Assert.Equal(0, scheduler.ActiveReplays);
        Assert.Equal(1, source.Disposals);
        scheduler.Start();
        Assert.Equal(3, count);
    }

    [Fact]
    public void Virtual_SameObservableSubscribedTwice_SubscriptionsAreIndependent()
    {
        var source = new CountingSource(Regular(6, TimeSpan.FromMinutes(1)));
        var replayOn = new ReplayScheduler(T0);
        var replay = ObservationReplay.Virtual(source, replayOn);
        var (first, firstSub) = replay.Record(replayOn);
        var (second, _) = replay.Record(replayOn);
        first.OnNextHook = o =>
        {
            if (o.Value == 2)
            {
                firstSub.Dispose();
            }
        };
        replayOn.RunToCompletion();

        Assert.Equal(2, source.Enumerations);
        Assert.Equal([0.0, 1, 2], first.Values.Select(o => o.Value!.Value));
        Assert.Equal(6, second.Values.Count);
        Assert.True(second.Completed);
        Assert.All(second.Values.Zip(second.Times), p => Assert.Equal(p.First.Timestamp, p.Second.UtcDateTime));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Virtual_TwoReplaysOnOneScheduler_InterleaveByTimestamp_TiesInSubscriptionOrder(bool runAhead)
    {
        var scheduler = new ReplayScheduler(T0);
        var log = new List<string>();
        using var a = ObservationReplay.Virtual(Regular(4, TimeSpan.FromMinutes(2), "a"), scheduler).Subscribe(o => log.Add($"a{o.Value}"));
        using var b = ObservationReplay.Virtual(Regular(6, TimeSpan.FromMinutes(1), "b"), scheduler).Subscribe(o => log.Add($"b{o.Value}"));
        Run(scheduler, runAhead);
        Assert.Equal(["a0", "b0", "b1", "a1", "b2", "b3", "a2", "b4", "b5", "a3"], log);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Virtual_BatchProducerReusesItsBatch_RowsAreCopiedBeforeItMovesOn(bool runAhead)
    {
        var data = MixedSeries(40);
        var batches = new ReusingBatchSource(data, 7);
        var scheduler = new ReplayScheduler(T0);
        var (rec, _) = ObservationReplay.Virtual(batches, scheduler).Record(scheduler);
        Run(scheduler, runAhead);

        Assert.True(rec.Completed);
        Assert.Equal(Key(data), Key(rec.Values));
        Assert.Equal((data.Length + 6) / 7, batches.BatchesPulled);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Virtual_BatchSource_IsConsumedOneBatchAtATime(bool runAhead)
    {
        var data = Regular(100, TimeSpan.FromSeconds(1));
        var batches = new ReusingBatchSource(data, 10);
        var scheduler = new ReplayScheduler(T0);
        var pulledAtDelivery = new List<int>();
        using var sub = ObservationReplay.Virtual(batches, scheduler).Subscribe(o => pulledAtDelivery.Add(batches.BatchesPulled));

        Assert.Equal(0, batches.BatchesPulled); // subscribing reads nothing
        Run(scheduler, runAhead);

        Assert.Equal(1, pulledAtDelivery[0]);
        // While row i is delivered, only the batch that holds it has been pulled.
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (i / 10) + 1), pulledAtDelivery);
    }

    [Fact]
    public void Virtual_BatchWithSeriesIdOutsideItsTable_OnErrorNamesTheRow()
    {
        var batch = new ObservationBatch(["a"], 4);
        batch.Add(0, T0, 1, AnomalyLabel.Normal);
        batch.Add(3, T0, 2, AnomalyLabel.Normal);
        var scheduler = new ReplayScheduler(T0);
        var (rec, _) = ObservationReplay.Virtual(new[] { batch }, scheduler).Record(scheduler);
        scheduler.Start();
        var error = Assert.IsType<ReplaySourceException>(rec.Error);
        Assert.Equal(1, error.Index);
        Assert.Contains("series id 3", error.Message, StringComparison.Ordinal);
        Assert.Single(rec.Values);
    }

    [Fact]
    public void Virtual_BatchOutOfOrderAcrossBatches_OnErrorWithGlobalIndex()
    {
        var data = Regular(10, TimeSpan.FromMinutes(1)).ToList();
        data[6] = LabeledObservation.Normal("s", T0, 6);
        var scheduler = new ReplayScheduler(T0);
        var (rec, _) = ObservationReplay.Virtual(new ReusingBatchSource(data, 4), scheduler).Record(scheduler);
        scheduler.Start();
        var error = Assert.IsType<ObservationOrderException>(rec.Error);
        Assert.Equal(6, error.Index);
        Assert.Equal(T0.AddMinutes(5), error.PreviousTimestamp);
        Assert.Equal(6, rec.Values.Count);
    }

    [Theory]
    [InlineData(4)] // the first row of the second batch: its previous row is in the batch the source has refilled since
    [InlineData(6)] // inside a batch
    public void Virtual_BatchOutOfOrder_ErrorNamesThePreviousRowsSeries(int broken)
    {
        var data = Enumerable.Range(0, 10)
            .Select(i => new LabeledObservation($"s{i}", T0.AddMinutes(i), i, i == 3 ? new AnomalyLabel(true, AnomalyKind.Spike, 7) : AnomalyLabel.Normal))
            .ToList();
        data[broken] = data[broken] with { Timestamp = T0 };
        var scheduler = new ReplayScheduler(T0);
        var (rec, _) = ObservationReplay.Virtual(new ReusingBatchSource(data, 4), scheduler).Record(scheduler);
        scheduler.Start();

        var error = Assert.IsType<ObservationOrderException>(rec.Error);
        Assert.Equal((broken, $"s{broken}", $"s{broken - 1}"), (error.Index, error.Series, error.PreviousSeries));
        Assert.Equal(T0.AddMinutes(broken - 1), error.PreviousTimestamp);
        Assert.Equal(data.Take(broken), rec.Values); // every field of every row before it, labels included
    }

    private sealed class ThrowingEnumerable : IEnumerable<LabeledObservation>
    {
        public IEnumerator<LabeledObservation> GetEnumerator() => throw new NotSupportedException("no enumerator");

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
