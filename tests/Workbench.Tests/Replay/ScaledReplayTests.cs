using System.Reactive.Concurrency;
using Workbench.Core;
using Workbench.Replay;
using static Workbench.Tests.Replay.ReplayTestKit;

namespace Workbench.Tests.Replay;

public class ScaledReplayTests
{
    private static readonly DateTimeOffset W0 = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly ReplayOptions At60 = new() { Speed = 60 };

    private static double[] Seconds(IEnumerable<DateTimeOffset> times) => [.. times.Select(t => (t - W0).TotalSeconds)];

    private static double[] Values(Recorder<LabeledObservation> rec) => [.. rec.Values.Select(o => o.Value!.Value)];

    [Fact]
    public void Scaled_InvalidArguments_Throw()
    {
        var wall = new HistoricalScheduler(W0);
        var data = Regular(3, TimeSpan.FromMinutes(1));
        Assert.Throws<ArgumentNullException>(() => ObservationReplay.Scaled((IEnumerable<LabeledObservation>)null!, At60, wall));
        Assert.Throws<ArgumentNullException>(() => ObservationReplay.Scaled(data, null!, wall));
        Assert.Throws<ArgumentNullException>(() => ObservationReplay.Scaled(data, At60, null!));
        foreach (var speed in new[] { 0, -1, double.NaN, double.PositiveInfinity })
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => ObservationReplay.Scaled(data, new ReplayOptions { Speed = speed }, wall));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => ObservationReplay.Scaled(data, new ReplayOptions { Total = -1 }, wall));
        Assert.Throws<ArgumentOutOfRangeException>(() => ObservationReplay.Scaled(data, new ReplayOptions { ProgressInterval = TimeSpan.FromTicks(-1) }, wall));
        Assert.Throws<ArgumentOutOfRangeException>(() => ObservationReplay.Scaled(data, new ReplayOptions { SpinLead = TimeSpan.FromTicks(-1) }, wall));
        Assert.Throws<ArgumentOutOfRangeException>(() => ObservationReplay.Scaled(data, new ReplayOptions { SpinLead = TimeSpan.FromMilliseconds(101) }, Scheduler.Default));
        Assert.Throws<ArgumentException>(() => ObservationReplay.Scaled(data, new ReplayOptions { SpinLead = TimeSpan.FromMilliseconds(1) }, wall));

        var session = ObservationReplay.Scaled(data, At60, wall);
        Assert.Throws<ArgumentOutOfRangeException>(() => session.Speed = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => session.Speed = double.NaN);
        Assert.Throws<ArgumentException>(() => session.Seek(DateTime.SpecifyKind(T0, DateTimeKind.Local)));
    }

    [Fact]
    public void Scaled_Speed60_DeliversEachObservationAtItsScaledWallTime()
    {
        var wall = new HistoricalScheduler(W0);
        var session = ObservationReplay.Scaled(Regular(5, TimeSpan.FromMinutes(1)), At60, wall);
        Assert.Equal(ReplayState.NotStarted, session.State);
        var (rec, _) = session.Observations.Record(wall);
        Assert.Equal(ReplayState.Running, session.State);
        wall.Start();

        Assert.Equal([0.0, 1, 2, 3, 4], Seconds(rec.Times));
        Assert.Equal([0.0, 1, 2, 3, 4], Values(rec));
        Assert.True(rec.Completed);
        Assert.Equal(4, (rec.Log[^1].Time - W0).TotalSeconds);
        Assert.Equal(ReplayState.Completed, session.State);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public void Scaled_Speed_DividesDataGaps(double speed)
    {
        var wall = new HistoricalScheduler(W0);
        var session = ObservationReplay.Scaled(Regular(4, TimeSpan.FromSeconds(10)), new ReplayOptions { Speed = speed }, wall);
        var (rec, _) = session.Observations.Record(wall);
        wall.Start();
        Assert.Equal(new[] { 0.0, 10, 20, 30 }.Select(s => s / speed), Seconds(rec.Times));
    }

    [Fact]
    public void Scaled_EqualTimestamps_AreDeliveredTogetherWithOneTimerPerInstant()
    {
        var data = MixedSeries(10); // 15 observations at 10 distinct minutes
        var inner = new HistoricalScheduler(W0);
        var wall = new TestWallClock(inner);
        var session = ObservationReplay.Scaled(data, At60, wall);
        var (rec, _) = session.Observations.Record(wall);
        inner.Start();

        Assert.Equal(Key(data), Key(rec.Values));
        Assert.Equal(data.Select(o => (o.Timestamp - T0).TotalMinutes), Seconds(rec.Times));
        Assert.Equal(1, wall.ImmediateCalls); // the start
        Assert.Equal(9, wall.TimedCalls); // one per later distinct instant, none per observation
    }

    [Fact]
    public void Scaled_LateTimers_OverdueObservationsAreDeliveredInOneBatch()
    {
        var inner = new HistoricalScheduler(W0);
        var wall = new TestWallClock(inner, lateness: TimeSpan.FromSeconds(2.5));
        var session = ObservationReplay.Scaled(Regular(10, TimeSpan.FromMinutes(1)), At60, wall);
        var (rec, _) = session.Observations.Record(wall);
        inner.Start();

        // Due at 0, 1, 2, … s; every timer fires 2.5 s late, so 1–3 are overdue at 3.5 s, 4–6 at 6.5 s, 7–9 at 9.5 s.
        Assert.Equal([0, 3.5, 3.5, 3.5, 6.5, 6.5, 6.5, 9.5, 9.5, 9.5], Seconds(rec.Times));
        Assert.Equal(3, wall.TimedCalls);
        Assert.True(rec.Completed);
    }

    [Fact]
    public void Scaled_ManyOverdue_DeliveredInBurstsThatYieldTheScheduler()
    {
        var data = Enumerable.Range(0, 3000).Select(i => LabeledObservation.Normal("s", T0, i)).ToArray();
        var inner = new HistoricalScheduler(W0);
        var wall = new TestWallClock(inner);
        var session = ObservationReplay.Scaled(data, At60, wall);
        var (rec, _) = session.Observations.Record(wall);
        inner.Start();

        Assert.Equal(3000, rec.Values.Count);
        Assert.All(rec.Times, t => Assert.Equal(W0, t));
        Assert.Equal(3, wall.ImmediateCalls); // start + a yield after each 1,024 observations
        Assert.Equal(0, wall.TimedCalls);
    }

    [Fact]
    public void Scaled_PauseResume_NoCatchUpBurst_RemainingGapKept()
    {
        var wall = new InspectableScheduler(W0);
        var session = ObservationReplay.Scaled(Regular(10, TimeSpan.FromMinutes(1)), At60, wall);
        var (rec, _) = session.Observations.Record(wall);

        wall.AdvanceTo(W0.AddSeconds(2.5));
        session.Pause();
        Assert.Equal(ReplayState.Paused, session.State);
        Assert.Equal(3, session.Position);
        Assert.Equal(T0.AddMinutes(2), session.CurrentTimestamp);
        Assert.False(wall.HasPendingWork); // nothing armed while paused

        wall.AdvanceBy(TimeSpan.FromSeconds(100));
        Assert.Equal(3, rec.Values.Count);

        session.Resume();
        session.Resume(); // idempotent
        wall.Start();

        // Paused at data time 2:30 (0.5 s of wall time before observation 3): 0.5 s after resuming at 102.5 s.
        Assert.Equal([0.0, 1, 2, 103, 104, 105, 106, 107, 108, 109], Seconds(rec.Times));
        Assert.True(rec.Completed);
    }

    [Fact]
    public void Scaled_PauseFromOnNext_ResumeKeepsTheSpacingToTheNextObservation()
    {
        var wall = new HistoricalScheduler(W0);
        var session = ObservationReplay.Scaled(Regular(5, TimeSpan.FromMinutes(1)), At60, wall);
        var (rec, _) = session.Observations.Record(wall);
        rec.OnNextHook = o =>
        {
            if (o.Value == 2)
            {
                session.Pause();
            }
        };
        wall.AdvanceTo(W0.AddSeconds(50));
        Assert.Equal(3, rec.Values.Count);
        Assert.Equal(3, session.Position); // the observation after the pause is read ahead, not delivered

        session.Resume();
        wall.Start();
        Assert.Equal([0.0, 1, 2, 51, 52], Seconds(rec.Times));
    }

    [Fact]
    public void Scaled_PauseAndResumeBeforeSubscribing_SetTheInitialState()
    {
        var wall = new HistoricalScheduler(W0);
        var source = new CountingSource(Regular(3, TimeSpan.FromMinutes(1)));
        var session = ObservationReplay.Scaled(source, At60, wall);
        session.Pause();
        var (rec, _) = session.Observations.Record(wall);
        wall.AdvanceBy(TimeSpan.FromMinutes(5));
        Assert.Equal(ReplayState.Paused, session.State);
        Assert.Equal(0, source.Enumerations); // a paused start reads nothing

        session.Resume();
        wall.Start();
        Assert.Equal([300.0, 301, 302], Seconds(rec.Times));

        var other = ObservationReplay.Scaled(Regular(2, TimeSpan.FromMinutes(1)), At60, wall);
        other.Pause();
        other.Resume();
        var (rec2, _) = other.Observations.Record(wall);
        Assert.Equal(ReplayState.Running, other.State);
        wall.Start();
        Assert.Equal(2, rec2.Values.Count);
    }

    [Fact]
    public void Scaled_StartPaused_ReadsNothingUntilResume()
    {
        var wall = new InspectableScheduler(W0);
        var source = new CountingSource(Regular(3, TimeSpan.FromMinutes(1)));
        var session = ObservationReplay.Scaled(source, At60 with { StartPaused = true }, wall);
        var (rec, _) = session.Observations.Record(wall);
        Assert.Equal(ReplayState.Paused, session.State);
        Assert.False(wall.HasPendingWork);
        wall.AdvanceBy(TimeSpan.FromSeconds(10));
        Assert.Equal(0, source.Enumerations);
        Assert.Empty(rec.Values);

        session.Resume();
        wall.Start();
        Assert.Equal([10.0, 11, 12], Seconds(rec.Times));
    }

    [Fact]
    public void Scaled_SeekForward_SkipsAndContinuesFromTheFirstObservationAtOrAfterTheTarget()
    {
        var source = new CountingSource(Regular(20, TimeSpan.FromMinutes(1)));
        var wall = new HistoricalScheduler(W0);
        var session = ObservationReplay.Scaled(source, At60 with { ProgressInterval = TimeSpan.FromHours(1) }, wall);
        var progress = new Recorder<ReplayProgress>(wall);
        using var p = session.Progress.Subscribe(progress);
        var (rec, _) = session.Observations.Record(wall);

        wall.AdvanceTo(W0.AddSeconds(2.5));
        session.Seek(T0.AddMinutes(10).AddSeconds(30));
        wall.AdvanceBy(TimeSpan.FromTicks(1));
        Assert.Equal(11, session.Position);
        Assert.Equal(3, session.Delivered);
        Assert.Equal(T0.AddMinutes(10).AddSeconds(30), session.CurrentTimestamp);
        var seeked = progress.Values.Single(v => v.Reason == ReplayProgressReason.Seeked);
        Assert.Equal((11L, 3L, (DateTime?)T0.AddMinutes(10).AddSeconds(30)), (seeked.Position, seeked.Delivered, seeked.CurrentTimestamp));

        wall.Start();
        // Data clock set to 10:30 at 2.5 s: 11:00 is 30 s of data = 0.5 s later.
        Assert.Equal([0.0, 1, 2, 11, 12, 13, 14, 15, 16, 17, 18, 19], Values(rec));
        Assert.Equal([0.0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], Seconds(rec.Times));
        Assert.Equal(1, source.Enumerations); // forward: no re-read
        Assert.Equal(20, session.Position);
        Assert.Equal(12, session.Delivered);
        Assert.Equal(20, session.Total);
    }

    [Fact]
    public void Scaled_SeekBackward_RereadsTheSourceFromTheStart()
    {
        var source = new CountingSource(Regular(8, TimeSpan.FromMinutes(1)));
        var wall = new HistoricalScheduler(W0);
        var session = ObservationReplay.Scaled(source, At60, wall);
        var (rec, _) = session.Observations.Record(wall);
        rec.OnNextHook = o =>
        {
            if (o.Value == 5 && rec.Values.Count == 6)
            {
                session.Seek(T0.AddMinutes(5)); // at or before a passed observation: backward, 5 is delivered again
            }
        };
        wall.AdvanceTo(W0.AddSeconds(5));
        Assert.Equal(2, source.Enumerations);
        Assert.Equal(1, source.Disposals); // the first enumeration was released
        Assert.Equal([0.0, 1, 2, 3, 4, 5, 5], Values(rec)); // 5 again at once: the target is its timestamp
        Assert.Equal(6, session.Position);

        rec.OnNextHook = o =>
        {
            if (o.Value == 6 && rec.Values.Count == 8)
            {
                session.Seek(T0.AddMinutes(1).AddSeconds(30));
            }
        };
        wall.Start();
        Assert.Equal([0.0, 1, 2, 3, 4, 5, 5, 6, 2, 3, 4, 5, 6, 7], Values(rec));
        // 5 again at once (target = its timestamp); after the seek at 6 (wall 6 s) to 1:30, 2:00 is 0.5 s later.
        Assert.Equal([0.0, 1, 2, 3, 4, 5, 5, 6, 6.5, 7.5, 8.5, 9.5, 10.5, 11.5], Seconds(rec.Times));
        Assert.Equal(3, source.Enumerations);
        Assert.Equal(3, source.Disposals);
        Assert.True(rec.Completed);
        Assert.Equal(14, session.Delivered);
        Assert.Equal(8, session.Position);
    }

    [Fact]
    public void Scaled_SeekPastTheEnd_Completes()
    {
        var wall = new HistoricalScheduler(W0);
        var session = ObservationReplay.Scaled(Regular(8, TimeSpan.FromMinutes(1)), At60, wall);
        var (rec, _) = session.Observations.Record(wall);
        wall.AdvanceTo(W0.AddSeconds(1.5));
        session.Seek(T0.AddDays(1));
        wall.AdvanceBy(TimeSpan.FromTicks(1));
        Assert.True(rec.Completed);
        Assert.Equal(2, rec.Values.Count);
        Assert.Equal(8, session.Position);
        Assert.Equal(ReplayState.Completed, session.State);
    }

    [Fact]
    public void Scaled_SeekBeforeSubscribing_StartsAtTheTarget()
    {
        var wall = new HistoricalScheduler(W0);
        var session = ObservationReplay.Scaled(Regular(8, TimeSpan.FromMinutes(1)), At60, wall);
        session.Seek(T0.AddMinutes(4).AddSeconds(45));
        var (rec, _) = session.Observations.Record(wall);
        wall.Start();
        Assert.Equal([5.0, 6, 7], Values(rec));
        Assert.Equal([0.25, 1.25, 2.25], Seconds(rec.Times));
    }

    [Fact]
    public void Scaled_SeekWhilePaused_StaysPaused_ThenPlaysFromTheTarget()
    {
        var wall = new InspectableScheduler(W0);
        var session = ObservationReplay.Scaled(Regular(15, TimeSpan.FromMinutes(1)), At60, wall);
        var progress = new Recorder<ReplayProgress>(wall);
        using var p = session.Progress.Subscribe(progress);
        var (rec, _) = session.Observations.Record(wall);
        wall.AdvanceTo(W0.AddSeconds(2.5));
        session.Pause();
        session.Seek(T0.AddMinutes(10));
        wall.AdvanceBy(TimeSpan.FromSeconds(100));
        Assert.Equal(ReplayState.Paused, session.State);
        Assert.Equal(3, rec.Values.Count);
        Assert.Equal(10, session.Position);
        Assert.False(wall.HasPendingWork);
        Assert.Contains(progress.Values, v => v.Reason == ReplayProgressReason.Seeked && v.State == ReplayState.Paused);

        session.Resume();
        wall.Start();
        Assert.Equal([0.0, 1, 2, 10, 11, 12, 13, 14], Values(rec));
        Assert.Equal([0.0, 1, 2, 102.5, 103.5, 104.5, 105.5, 106.5], Seconds(rec.Times));
    }

    [Fact]
    public void Scaled_SpeedChangedWhileRunning_RemainingGapPlaysAtTheNewSpeed()
    {
        var wall = new HistoricalScheduler(W0);
        var session = ObservationReplay.Scaled(Regular(4, TimeSpan.FromMinutes(1)), At60, wall);
        var (rec, _) = session.Observations.Record(wall);
        wall.AdvanceTo(W0.AddSeconds(0.5));
        session.Speed = 120;
        Assert.Equal(120, session.Speed);
        wall.Start();
        // At 0.5 s the data clock is at 0:30; 0:30 more at 120x is 0.25 s.
        Assert.Equal([0, 0.75, 1.25, 1.75], Seconds(rec.Times));
    }

    [Fact]
    public void Scaled_SpeedChangedWhilePaused_AppliesOnResume()
    {
        var wall = new HistoricalScheduler(W0);
        var session = ObservationReplay.Scaled(Regular(4, TimeSpan.FromMinutes(1)), At60, wall);
        var (rec, _) = session.Observations.Record(wall);
        wall.AdvanceTo(W0.AddSeconds(1.5));
        session.Pause();
        session.Speed = 30;
        wall.AdvanceTo(W0.AddSeconds(10));
        session.Resume();
        wall.Start();
        // Paused at data 1:30; 0:30 at 30x = 1 s after resuming at 10 s, then 2 s apart.
        Assert.Equal([0.0, 1, 11, 13], Seconds(rec.Times));
    }

    [Fact]
    public void Scaled_SpeedChangedBeforeSubscribing_IsTheInitialSpeed()
    {
        var wall = new HistoricalScheduler(W0);
        var session = ObservationReplay.Scaled(Regular(3, TimeSpan.FromMinutes(1)), At60, wall);
        session.Speed = 6;
        var (rec, _) = session.Observations.Record(wall);
        wall.Start();
        Assert.Equal([0.0, 10, 20], Seconds(rec.Times));
    }

    [Fact]
    public void Scaled_Progress_ReportsEveryStateChangeAndPeriodicPositions()
    {
        var wall = new HistoricalScheduler(W0);
        var session = ObservationReplay.Scaled(Regular(6, TimeSpan.FromMinutes(1)), At60 with { ProgressInterval = TimeSpan.FromSeconds(2) }, wall);
        var progress = new Recorder<ReplayProgress>(wall);
        using var p = session.Progress.Subscribe(progress);
        var (rec, _) = session.Observations.Record(wall);
        wall.AdvanceTo(W0.AddSeconds(3.5));
        session.Pause();
        session.Speed = 120;
        session.Resume();
        wall.Start();

        Assert.True(progress.Completed);
        var v = progress.Values;
        // Observations at 0, 1, 2, 3 s; paused at 3.5 s (data 3:30); resumed at 120x: 4:00 at 3.75 s, 5:00 at 4.25 s.
        Assert.Equal([0.0, 1, 2, 3, 3.75, 4.25], Seconds(rec.Times));
        Assert.Equal(
            [
                ReplayProgressReason.Snapshot, ReplayProgressReason.Started, ReplayProgressReason.Progress, ReplayProgressReason.Paused,
                ReplayProgressReason.SpeedChanged, ReplayProgressReason.Resumed, ReplayProgressReason.Progress, ReplayProgressReason.Completed,
            ],
            v.Select(x => x.Reason));
        Assert.Equal(
            [
                ReplayState.NotStarted, ReplayState.Running, ReplayState.Running, ReplayState.Paused, ReplayState.Paused,
                ReplayState.Running, ReplayState.Running, ReplayState.Completed,
            ],
            v.Select(x => x.State));
        Assert.Equal([0L, 0, 3, 4, 4, 4, 6, 6], v.Select(x => x.Position));
        Assert.Equal([0L, 0, 3, 4, 4, 4, 6, 6], v.Select(x => x.Delivered));
        Assert.All(v, x => Assert.Equal(6, x.Total));
        Assert.Equal(
            [null, null, T0.AddMinutes(2), T0.AddMinutes(3), T0.AddMinutes(3), T0.AddMinutes(3), T0.AddMinutes(5), T0.AddMinutes(5)],
            v.Select(x => x.CurrentTimestamp));
        Assert.Equal([60.0, 60, 60, 60, 120, 120, 120, 120], v.Select(x => x.Speed));
        // Periodic progress at most every 2 s of wall time: at 2 s, then at 4.25 s.
        Assert.Equal([0.0, 0, 2, 3.5, 3.5, 3.5, 4.25, 4.25], Seconds(v.Select(x => x.WallTime)));
        Assert.Equal(1.0, v[^1].Fraction);
        Assert.Equal(0.5, v[2].Fraction);

        // A late progress subscriber gets the completion only; the session still answers.
        var late = new Recorder<ReplayProgress>(wall);
        using var l = session.Progress.Subscribe(late);
        Assert.True(late.Completed);
        Assert.Equal(ReplayProgressReason.Snapshot, session.Snapshot().Reason);
        Assert.Equal(6, session.Snapshot().Position);
    }

    [Fact]
    public void Scaled_ProgressIntervalZero_ReportsAfterEveryObservation()
    {
        var wall = new HistoricalScheduler(W0);
        var session = ObservationReplay.Scaled(Regular(3, TimeSpan.FromMinutes(1)), At60 with { ProgressInterval = TimeSpan.Zero }, wall);
        var progress = new Recorder<ReplayProgress>(wall);
        using var p = session.Progress.Subscribe(progress);
        using var s = session.Observations.Subscribe(_ => { });
        wall.Start();
        Assert.Equal([0L, 0, 1, 2, 3, 3], progress.Values.Select(x => x.Delivered));
    }

    [Fact]
    public void Scaled_Total_FromCollectionOptionOrCompletion()
    {
        var wall = new HistoricalScheduler(W0);
        Assert.Equal(5, ObservationReplay.Scaled(Regular(5, TimeSpan.FromMinutes(1)), At60, wall).Total);
        Assert.Equal(5, ObservationReplay.Scaled(ObservationSource.FromArray(Regular(5, TimeSpan.FromMinutes(1))), At60, wall).Total);
        Assert.Equal(42, ObservationReplay.Scaled(Regular(5, TimeSpan.FromMinutes(1)), At60 with { Total = 42 }, wall).Total);

        var lazy = ObservationReplay.Scaled(new CountingSource(Regular(5, TimeSpan.FromMinutes(1))), At60, wall);
        var batches = ObservationReplay.Scaled(new ReusingBatchSource(Regular(7, TimeSpan.FromMinutes(1)), 3), At60, wall);
        Assert.Null(lazy.Total);
        Assert.Null(batches.Total);
        using var a = lazy.Observations.Subscribe(_ => { });
        using var b = batches.Observations.Subscribe(_ => { });
        wall.Start();
        Assert.Equal(5, lazy.Total);
        Assert.Equal(7, batches.Total);
    }

    [Fact]
    public void Scaled_DisposeMidStream_StopsAllWork_NoTerminalMessage()
    {
        var source = new CountingSource(Regular(100, TimeSpan.FromMinutes(1)));
        var wall = new InspectableScheduler(W0);
        var session = ObservationReplay.Scaled(source, At60, wall);
        var progress = new Recorder<ReplayProgress>(wall);
        using var p = session.Progress.Subscribe(progress);
        var (rec, subscription) = session.Observations.Record(wall);
        wall.AdvanceTo(W0.AddSeconds(4.5));
        subscription.Dispose();

        Assert.False(wall.HasPendingWork); // the armed timer was cancelled: the queue drains
        wall.AdvanceBy(TimeSpan.FromHours(1));
        Assert.Equal(5, rec.Values.Count);
        Assert.Equal(0, rec.Terminals);
        Assert.Equal(ReplayState.Stopped, session.State);
        Assert.Equal(1, source.Disposals);
        Assert.True(progress.Completed);
        Assert.Equal(ReplayProgressReason.Stopped, progress.Values[^1].Reason);

        session.Resume();
        session.Seek(T0);
        session.Speed = 5;
        Assert.False(wall.HasPendingWork);
        Assert.Equal(ReplayState.Stopped, session.State);
    }

    [Fact]
    public void Scaled_DisposeFromOnNext_NothingMoreIsDelivered()
    {
        var source = new CountingSource(Regular(100, TimeSpan.FromMinutes(1)));
        var wall = new InspectableScheduler(W0);
        var session = ObservationReplay.Scaled(source, At60, wall);
        var (rec, subscription) = session.Observations.Record(wall);
        rec.OnNextHook = o =>
        {
            if (o.Value == 3)
            {
                subscription.Dispose();
            }
        };
        wall.Start();
        Assert.Equal(4, rec.Values.Count);
        Assert.Equal(0, rec.Terminals);
        Assert.Equal(1, source.Disposals);
        Assert.Equal(4, source.Reads);
        Assert.False(wall.HasPendingWork);
    }

    [Fact]
    public void Scaled_SecondSubscription_GetsOnError_FirstUnaffected()
    {
        var wall = new HistoricalScheduler(W0);
        var session = ObservationReplay.Scaled(Regular(3, TimeSpan.FromMinutes(1)), At60, wall);
        var (first, _) = session.Observations.Record(wall);
        var (second, _) = session.Observations.Record(wall);
        Assert.IsType<InvalidOperationException>(second.Error);
        wall.Start();
        Assert.Equal(3, first.Values.Count);
        Assert.True(first.Completed);
        Assert.Single(second.Log);
    }

    [Fact]
    public void Scaled_TwoSessionsOfOneSource_AreIndependent()
    {
        var source = new CountingSource(Regular(5, TimeSpan.FromMinutes(1)));
        var wall = new HistoricalScheduler(W0);
        var a = ObservationReplay.Scaled(source, At60, wall);
        var b = ObservationReplay.Scaled(source, At60 with { Speed = 120 }, wall);
        var (ra, _) = a.Observations.Record(wall);
        var (rb, _) = b.Observations.Record(wall);
        wall.AdvanceTo(W0.AddSeconds(1.5));
        a.Pause();
        wall.AdvanceTo(W0.AddSeconds(20));
        Assert.Equal(ReplayState.Paused, a.State);
        Assert.Equal(ReplayState.Completed, b.State);
        a.Resume();
        wall.Start();

        Assert.Equal([0.0, 1, 20.5, 21.5, 22.5], Seconds(ra.Times));
        Assert.Equal([0.0, 0.5, 1, 1.5, 2], Seconds(rb.Times));
        Assert.Equal(Values(ra), Values(rb));
        Assert.Equal(2, source.Enumerations);
    }

    [Fact]
    public void Scaled_EmptySource_Completes()
    {
        var wall = new HistoricalScheduler(W0);
        var session = ObservationReplay.Scaled(Array.Empty<LabeledObservation>(), At60, wall);
        var (rec, _) = session.Observations.Record(wall);
        wall.Start();
        Assert.True(rec.Completed);
        Assert.Single(rec.Log);
        Assert.Equal(0, session.Total);
    }

    [Fact]
    public void Scaled_SourceThrows_OnErrorOnce()
    {
        var source = new CountingSource(Regular(10, TimeSpan.FromMinutes(1)), failAt: 3);
        var wall = new HistoricalScheduler(W0);
        var session = ObservationReplay.Scaled(source, At60, wall);
        var progress = new Recorder<ReplayProgress>(wall);
        using var p = session.Progress.Subscribe(progress);
        var (rec, _) = session.Observations.Record(wall);
        wall.Start();
        Assert.Equal([0.0, 1, 2], Values(rec));
        Assert.IsType<InvalidOperationException>(rec.Error);
        Assert.Equal(1, rec.Terminals);
        Assert.Equal(ReplayState.Faulted, session.State);
        Assert.Equal(ReplayProgressReason.Faulted, progress.Values[^1].Reason);
        Assert.True(progress.Completed);
        Assert.Equal(1, source.Disposals);
    }

    [Fact]
    public void Scaled_OutOfOrderSource_OnErrorObservationOrderException()
    {
        var data = Regular(5, TimeSpan.FromMinutes(1));
        data[3] = LabeledObservation.Normal("late", T0, 3);
        var wall = new HistoricalScheduler(W0);
        var session = ObservationReplay.Scaled(data, At60, wall);
        var (rec, _) = session.Observations.Record(wall);
        wall.Start();
        var error = Assert.IsType<ObservationOrderException>(rec.Error);
        Assert.Equal(("late", 3L), (error.Series, error.Index));
        Assert.Equal(3, rec.Values.Count);
    }

    [Fact]
    public void Scaled_ObserverThrows_ExceptionReachesTheSchedulerAndTheSessionStops()
    {
        var source = new CountingSource(Regular(10, TimeSpan.FromMinutes(1)));
        var wall = new InspectableScheduler(W0);
        var session = ObservationReplay.Scaled(source, At60, wall);
        using var s = session.Observations.Subscribe(o =>
        {
            if (o.Value == 2)
            {
                throw new InvalidDataException("observer failed");
            }
        });
        Assert.Throws<InvalidDataException>(wall.Start);
        Assert.Equal(ReplayState.Stopped, session.State);
        Assert.Equal(1, source.Disposals);
        Assert.False(wall.HasPendingWork);
    }

    [Fact]
    public void Scaled_BatchProducerReusesItsBatch_LazyAndCopied()
    {
        var data = MixedSeries(30);
        var batches = new ReusingBatchSource(data, 4);
        var wall = new HistoricalScheduler(W0);
        var session = ObservationReplay.Scaled(batches, At60, wall);
        var pulled = new List<int>();
        var (rec, _) = session.Observations.Record(wall);
        rec.OnNextHook = _ => pulled.Add(batches.BatchesPulled);
        wall.Start();
        Assert.Equal(Key(data), Key(rec.Values));
        Assert.Equal(Enumerable.Range(0, data.Length).Select(i => (i / 4) + 1), pulled);
    }

    [Fact]
    public void Scaled_ControlsAfterCompletion_HaveNoEffect()
    {
        var wall = new InspectableScheduler(W0);
        var session = ObservationReplay.Scaled(Regular(2, TimeSpan.FromMinutes(1)), At60, wall);
        var (rec, _) = session.Observations.Record(wall);
        wall.Start();
        session.Pause();
        session.Resume();
        session.Seek(T0);
        session.Speed = 2;
        Assert.Equal(ReplayState.Completed, session.State);
        Assert.Equal(60, session.Speed);
        Assert.False(wall.HasPendingWork);
        Assert.Equal(1, rec.Terminals);
    }
}
