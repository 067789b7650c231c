using System.Reactive.Concurrency;
using Workbench.Core;
using Workbench.Replay;
using static Workbench.Tests.Replay.ReplayTestKit;

namespace Workbench.Tests.Replay;

/// <summary>
/// Scaled replay on the real wall clock (<see cref="Scheduler.Default"/>) with each <see cref="ReplayClock"/>: the
/// session's behaviour (sequence, pause/resume, speed, disposal, errors, cancellation) and its clock thread's
/// lifetime. No assertion depends on how late a delivery is; accuracy is measured by <c>bench replay-timing</c>.
/// </summary>
public class ScaledReplayClockTests
{
    /// <summary>A guard against a hang, never an assertion on time.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    /// <summary>Fast enough that a minute of data plays in 0.6 ms (these tests take milliseconds of wall time).</summary>
    private const double Fast = 100_000;

    /// <summary>An observer that records values and the terminal message, signals the end, and checks the grammar.</summary>
    private sealed class Probe : IObserver<LabeledObservation>
    {
        private readonly object _gate = new();
        private readonly List<LabeledObservation> _values = [];
        private readonly List<Thread> _threads = [];

        public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Action<LabeledObservation>? OnNextHook { get; set; }

        public Exception? Error { get; private set; }

        public int Terminals { get; private set; }

        public List<LabeledObservation> Values
        {
            get
            {
                lock (_gate)
                {
                    return [.. _values];
                }
            }
        }

        public List<Thread> Threads
        {
            get
            {
                lock (_gate)
                {
                    return [.. _threads];
                }
            }
        }

        public void OnNext(LabeledObservation value)
        {
            lock (_gate)
            {
                Assert.Equal(0, Terminals);
                _values.Add(value);
                _threads.Add(Thread.CurrentThread);
            }

            OnNextHook?.Invoke(value);
        }

        public void OnError(Exception error)
        {
            lock (_gate)
            {
                Assert.Equal(0, Terminals);
                Terminals++;
                Error = error;
            }

            Ended.SetResult();
        }

        public void OnCompleted()
        {
            lock (_gate)
            {
                Assert.Equal(0, Terminals);
                Terminals++;
            }

            Ended.SetResult();
        }
    }

    private static ScaledReplaySession Session(IEnumerable<LabeledObservation> source, ReplayClock clock, double speed = Fast, bool startPaused = false) =>
        (ScaledReplaySession)ObservationReplay.Scaled(source, new ReplayOptions { Speed = speed, Clock = clock, StartPaused = startPaused }, Scheduler.Default);

    private static void AssertClockThreadEnds(ScaledReplaySession session)
    {
        var thread = session.OwnedClock?.Thread;
        if (thread is not null)
        {
            Assert.True(thread.Join(Guard));
        }
    }

    [Fact]
    public void Scaled_ClockOption_ChoosesTheSessionsClock()
    {
        var data = Regular(3, TimeSpan.FromMinutes(1));
        Assert.NotNull(Session(data, ReplayClock.HighResolution).OwnedClock);
        Assert.Null(Session(data, ReplayClock.Timer).OwnedClock);
        Assert.NotNull(((ScaledReplaySession)ObservationReplay.Scaled(data, new ReplayOptions(), new EventLoopScheduler())).OwnedClock);

        // A virtual or custom clock is used as it is, whichever the setting.
        Assert.Null(((ScaledReplaySession)ObservationReplay.Scaled(data, new ReplayOptions(), new HistoricalScheduler())).OwnedClock);
        using var mine = new HighResolutionScheduler();
        Assert.Null(((ScaledReplaySession)ObservationReplay.Scaled(data, new ReplayOptions(), mine)).OwnedClock);

        // SpinLead belongs to the timer clock.
        Assert.Throws<ArgumentException>(() => ObservationReplay.Scaled(data, new ReplayOptions { SpinLead = TimeSpan.FromMilliseconds(1) }, Scheduler.Default));
        Assert.NotNull(ObservationReplay.Scaled(data, new ReplayOptions { SpinLead = TimeSpan.FromMilliseconds(1), Clock = ReplayClock.Timer }, Scheduler.Default));
        Assert.Throws<ArgumentOutOfRangeException>(() => ObservationReplay.Scaled(data, new ReplayOptions { Clock = (ReplayClock)7 }, Scheduler.Default));
    }

    [Theory]
    [InlineData(ReplayClock.HighResolution)]
    [InlineData(ReplayClock.Timer)]
    public async Task Scaled_OnTheWallClock_DeliversExactlyTheVirtualSequence(ReplayClock clock)
    {
        var source = MixedSeries(120);
        var scheduler = new ReplayScheduler(T0);
        var virtualSeen = new List<LabeledObservation>();
        using (ObservationReplay.Virtual(source, scheduler).Subscribe(virtualSeen.Add))
        {
            scheduler.RunToCompletion();
        }

        var session = Session(source, clock);
        var probe = new Probe();
        using var sub = session.Observations.Subscribe(probe);
        await probe.Ended.Task.WaitAsync(Guard);

        Assert.Null(probe.Error);
        Assert.Equal(Key(virtualSeen), Key(probe.Values));
        Assert.Equal(ReplayState.Completed, session.State);
        Assert.Equal(source.Length, session.Delivered);
        if (clock == ReplayClock.HighResolution)
        {
            // Every delivery on the session's own clock thread, which ends with the replay.
            Assert.All(probe.Threads, t => Assert.Same(session.OwnedClock!.Thread, t));
            AssertClockThreadEnds(session);
        }
    }

    [Fact]
    public async Task Scaled_HighResolution_BatchSource_DeliversTheVirtualSequence()
    {
        var source = MixedSeries(50);
        var session = (ScaledReplaySession)ObservationReplay.Scaled(new ReusingBatchSource(source, 7), new ReplayOptions { Speed = Fast }, Scheduler.Default);
        var probe = new Probe();
        using var sub = session.Observations.Subscribe(probe);
        await probe.Ended.Task.WaitAsync(Guard);
        Assert.Equal(Key(source), Key(probe.Values));
        AssertClockThreadEnds(session);
    }

    [Theory]
    [InlineData(ReplayClock.HighResolution)]
    [InlineData(ReplayClock.Timer)]
    public async Task Scaled_StartPaused_ReadsNothingAndStartsNoThread_UntilResume(ReplayClock clock)
    {
        var source = new CountingSource(Regular(20, TimeSpan.FromMinutes(1)));
        var session = Session(source, clock, startPaused: true);
        var probe = new Probe();
        using var sub = session.Observations.Subscribe(probe);

        Assert.Equal(ReplayState.Paused, session.State);
        Assert.Equal(0, source.Enumerations);
        Assert.Null(session.OwnedClock?.Thread);

        session.Resume();
        await probe.Ended.Task.WaitAsync(Guard);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (double?)i), probe.Values.Select(o => o.Value));
        AssertClockThreadEnds(session);
    }

    [Theory]
    [InlineData(ReplayClock.HighResolution)]
    [InlineData(ReplayClock.Timer)]
    public async Task Scaled_PauseFromOnNext_DeliversNothingMore_ResumeFinishesInOrder(ReplayClock clock)
    {
        var session = Session(Regular(30, TimeSpan.FromMinutes(1)), clock);
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = new Probe
        {
            OnNextHook = o =>
            {
                if (o.Value == 9)
                {
                    session.Pause();
                    paused.SetResult();
                }
            },
        };
        using var sub = session.Observations.Subscribe(probe);
        await paused.Task.WaitAsync(Guard);

        Assert.Equal(ReplayState.Paused, session.State);
        Assert.Equal(10, session.Delivered);

        // Speed changed while paused applies on resume; the sequence is unchanged.
        session.Speed = Fast * 2;
        session.Resume();
        await probe.Ended.Task.WaitAsync(Guard);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (double?)i), probe.Values.Select(o => o.Value));
        Assert.Equal(Fast * 2, session.Speed);
        AssertClockThreadEnds(session);
    }

    [Fact]
    public async Task Scaled_HighResolution_SpeedChangedAndSeekedWhileRunning_SameRuleAsTheTimerClock()
    {
        // One hour between observations at 1×: after the first, the replay waits on its clock; a speed change wakes it.
        var session = Session(Regular(5, TimeSpan.FromHours(1)), ReplayClock.HighResolution, speed: 1);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = new Probe { OnNextHook = o => { if (o.Value == 0) { first.SetResult(); } } };
        using var sub = session.Observations.Subscribe(probe);
        await first.Task.WaitAsync(Guard);

        session.Seek(T0.AddHours(3)); // skips 1 and 2
        session.Speed = 1e9;          // the rest plays at once
        await probe.Ended.Task.WaitAsync(Guard);
        Assert.Equal([0, 3, 4], probe.Values.Select(o => o.Value));
        AssertClockThreadEnds(session);
    }

    [Theory]
    [InlineData(ReplayClock.HighResolution)]
    [InlineData(ReplayClock.Timer)]
    public async Task Scaled_DisposeWhileWaiting_StopsTheClockThread_NoTerminalMessage(ReplayClock clock)
    {
        var source = new CountingSource(Regular(10, TimeSpan.FromHours(1)));
        var session = Session(source, clock, speed: 1);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = new Probe { OnNextHook = _ => first.TrySetResult() };
        var sub = session.Observations.Subscribe(probe);
        await first.Task.WaitAsync(Guard);

        sub.Dispose();
        AssertClockThreadEnds(session);
        Assert.Equal(ReplayState.Stopped, session.State);
        Assert.Single(probe.Values);
        Assert.Equal(0, probe.Terminals);
        Assert.Equal(1, source.Disposals);
    }

    [Fact]
    public async Task Scaled_HighResolution_DisposeFromOnNext_NothingMoreIsDelivered()
    {
        var source = new CountingSource(Regular(100, TimeSpan.FromMinutes(1)));
        var session = Session(source, ReplayClock.HighResolution);
        IDisposable? sub = null;
        var disposed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = new Probe();
        probe.OnNextHook = o =>
        {
            if (o.Value == 3)
            {
                sub!.Dispose();
                disposed.SetResult();
            }
        };
        sub = session.Observations.Subscribe(probe);
        await disposed.Task.WaitAsync(Guard);
        AssertClockThreadEnds(session);
        Assert.Equal(4, probe.Values.Count);
        Assert.Equal(0, probe.Terminals);
        Assert.Equal(1, source.Disposals);
    }

    [Theory]
    [InlineData(ReplayClock.HighResolution)]
    [InlineData(ReplayClock.Timer)]
    public async Task Scaled_SourceThrows_OnErrorOnceAfterTheEarlierValues(ReplayClock clock)
    {
        var source = new CountingSource(Regular(10, TimeSpan.FromMinutes(1)), failAt: 4);
        var session = Session(source, clock);
        var probe = new Probe();
        using var sub = session.Observations.Subscribe(probe);
        await probe.Ended.Task.WaitAsync(Guard);

        Assert.Equal([0, 1, 2, 3], probe.Values.Select(o => o.Value));
        Assert.Equal("source failed at 4", Assert.IsType<InvalidOperationException>(probe.Error).Message);
        Assert.Equal(1, probe.Terminals);
        Assert.Equal(ReplayState.Faulted, session.State);
        AssertClockThreadEnds(session);
    }

    [Fact]
    public async Task Scaled_HighResolution_OutOfOrderSource_OnErrorObservationOrderException()
    {
        LabeledObservation[] data = [LabeledObservation.Normal("s", T0.AddMinutes(1), 1), LabeledObservation.Normal("s", T0, 0)];
        var session = Session(data, ReplayClock.HighResolution);
        var probe = new Probe();
        using var sub = session.Observations.Subscribe(probe);
        await probe.Ended.Task.WaitAsync(Guard);
        Assert.IsType<ObservationOrderException>(probe.Error);
        Assert.Single(probe.Values);
        AssertClockThreadEnds(session);
    }

    [Fact]
    public async Task Scaled_HighResolution_TwoSessions_HaveTheirOwnThreads_AndAreIndependent()
    {
        var source = Regular(50, TimeSpan.FromMinutes(1));
        var a = Session(source, ReplayClock.HighResolution);
        var b = Session(source, ReplayClock.HighResolution);
        var pa = new Probe();
        var pb = new Probe();
        using var sa = a.Observations.Subscribe(pa);
        using var sb = b.Observations.Subscribe(pb);
        await Task.WhenAll(pa.Ended.Task, pb.Ended.Task).WaitAsync(Guard);
        Assert.Equal(Key(source), Key(pa.Values));
        Assert.Equal(Key(source), Key(pb.Values));
        Assert.NotSame(a.OwnedClock!.Thread, b.OwnedClock!.Thread);
    }

    [Theory]
    [InlineData(ReplayClock.HighResolution)]
    [InlineData(ReplayClock.Timer)]
    public async Task MeasureAsync_OnTheWallClock_Cancelled_StopsTheReplay(ReplayClock clock)
    {
        using var cts = new CancellationTokenSource();
        var task = ReplayTiming.MeasureAsync(Scheduler.Default, new ReplayTimingOptions { Speed = 1, Count = 1000, Clock = clock }, cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.WaitAsync(Guard));
    }

    [Fact]
    public async Task MeasureAsync_OnTheWallClock_ReportsEveryObservationAndTheClock()
    {
        var report = await ReplayTiming.MeasureAsync(Scheduler.Default, new ReplayTimingOptions { Speed = Fast, Count = 50 }).WaitAsync(Guard);
        Assert.Equal(50, report.Count);
        Assert.Equal(ReplayClock.HighResolution, report.Clock);
        Assert.True(report.ProcessCpuTime >= TimeSpan.Zero);
        Assert.True(report.Elapsed > TimeSpan.Zero);
    }
}
