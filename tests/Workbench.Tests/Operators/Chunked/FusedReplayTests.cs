using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Detection;
using Workbench.Operators.Forecasting;
using Workbench.Operators.Rolling;
using Workbench.Operators.Specs;
using Workbench.Replay;
using Workbench.Tests.Replay;
using static Workbench.Tests.Replay.ChunkedTestData;

namespace Workbench.Tests.Operators.Chunked;

/// <summary>
/// Replay → kernel operator fused (chosen automatically by Detect, Forecast, Rolling and RollingQuantile when their
/// source is a virtual replay): every notification, its kind and the clock at it, equal to the unfused pipeline's —
/// with timers, work scheduled by downstream, Stop, AdvanceTo, kernel and source errors, late rows and disposal.
/// </summary>
public sealed class FusedReplayTests
{
    public static TheoryData<string> DetectorSpecs() => ChunkedOperatorTests.DetectorSpecs();

    [Fact]
    public void Operators_OnAVirtualReplay_AreFused_AndNotOnAnythingElse()
    {
        var scheduler = new ReplayScheduler();
        var replay = ObservationReplay.Virtual(Make(Shape.Single, 1, rows: 10), scheduler);
        Assert.StartsWith("FusedReplay", replay.Detect(new ZScoreDetector()).GetType().Name, StringComparison.Ordinal);
        Assert.StartsWith("FusedReplay", replay.Forecast(new NaiveForecaster()).GetType().Name, StringComparison.Ordinal);
        Assert.StartsWith("FusedReplay", replay.MeanVariance(5).GetType().Name, StringComparison.Ordinal);
        Assert.StartsWith("FusedReplay", replay.RollingMedian(5).GetType().Name, StringComparison.Ordinal);
        Assert.DoesNotContain("Fused", Hide(replay).Detect(new ZScoreDetector()).GetType().Name, StringComparison.Ordinal);
        Assert.DoesNotContain("Fused", replay.Where(_ => true).Detect(new ZScoreDetector()).GetType().Name, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DetectorSpecs))]
    public void Detect_Fused_SameNotificationsAndClock(string spec)
    {
        var detector = OperatorCatalog.BuiltIn.ParseDetector(spec);
        AssertSame((o, _) => o.Detect(detector));
    }

    [Fact]
    public void ForecastAndRolling_Fused_SameNotificationsAndClock()
    {
        foreach (var d in OperatorCatalog.BuiltIn.Descriptors.Where(d => d.Kind == OperatorKind.Forecaster))
        {
            var forecaster = OperatorCatalog.BuiltIn.ParseForecaster(d.Name);
            AssertSame((o, _) => o.Forecast(forecaster, 2));
        }

        AssertSame((o, _) => o.MeanVariance(20));
        AssertSame((o, _) => o.Rolling(new RollingMomentsOptions(10, 3), MissingOutput.CarryLast));
        AssertSame((o, _) => o.Ewma(new EwmaOptions(0.2)));
        AssertSame((o, _) => o.MinMax(15));
        AssertSame((o, _) => o.RollingMedian(9));
        AssertSame((o, _) => o.RollingMad(9));
    }

    [Fact]
    public void Detect_Fused_WorkScheduledByDownstreamInterleavesLikeUnfused()
    {
        // Downstream schedules work at the current instant and a little later on every 7th and 11th event, and moves
        // everything through ObserveOn: the fused pump must give way between rows exactly as the per-event replay.
        AssertSame((o, s) =>
        {
            var n = 0;
            return o.Detect(new ZScoreDetector(20, 3)).Select(x =>
            {
                n++;
                if (n % 7 == 0)
                {
                    s.Schedule(() => { });
                }

                if (n % 11 == 0)
                {
                    s.Schedule(TimeSpan.FromSeconds(20), () => { });
                }

                return x;
            }).ObserveOn(s);
        });
    }

    [Fact]
    public void Detect_Fused_StopFromObserver_StopsAfterTheSameRow()
    {
        foreach (var fuse in new[] { true, false })
        {
            var data = Make(Shape.Irregular, 2);
            var scheduler = new ReplayScheduler();
            var items = new List<ScoredObservation>();
            var source = ObservationReplay.Virtual(data, scheduler);
            using var subscription = (fuse ? source : Hide(source)).Detect(new ZScoreDetector()).Subscribe(x =>
            {
                items.Add(x);
                if (items.Count == 100)
                {
                    scheduler.Stop();
                }
            });
            scheduler.RunToCompletion();
            Assert.Equal(100, items.Count);
            scheduler.RunToCompletion();
            Assert.Equal(data.Length, items.Count);
        }
    }

    [Fact]
    public void Detect_Fused_AdvanceTo_DeliversTheSameRows()
    {
        var data = Make(Shape.Aligned, 3);
        var logs = new[] { true, false }.Select(fuse =>
        {
            var scheduler = new ReplayScheduler(T0);
            var source = ObservationReplay.Virtual(data, scheduler);
            var (recorder, subscription) = (fuse ? source : Hide(source)).Detect(new ZScoreDetector(10, 3)).Record(scheduler);
            var counts = new List<int>();
            foreach (var m in new[] { 0, 3, 17, 120 })
            {
                scheduler.AdvanceTo(new DateTimeOffset(T0.AddMinutes(m)));
                counts.Add(recorder.Values.Count);
            }

            subscription.Dispose();
            return (counts, Log(recorder));
        }).ToArray();
        Assert.Equal(logs[1].counts, logs[0].counts);
        Assert.Equal(logs[1].Item2, logs[0].Item2);
    }

    [Fact]
    public void Detect_Fused_KernelError_AtTheSameRowAndClock()
    {
        var detector = new ThrowingKernelDetector(399);
        AssertSame((o, _) => o.Detect(detector), expectError: true);
    }

    [Fact]
    public void Forecast_Fused_InputError_NamesTheSeriesAtTheSameRow()
    {
        var forecaster = OperatorCatalog.BuiltIn.ParseForecaster("holt-winters(period=4,seasonality=multiplicative)");
        AssertSame((o, _) => o.Forecast(forecaster), expectError: true);
    }

    [Fact]
    public void Detect_Fused_SourceErrors_AfterTheSamePrefix()
    {
        var data = Make(Shape.Irregular, 5);
        data[300] = data[300] with { Timestamp = data[299].Timestamp.AddHours(-2) };
        Assert.Equal(Run(data, (o, _) => o.Detect(new ZScoreDetector()), fuse: false, true), Run(data, (o, _) => o.Detect(new ZScoreDetector()), fuse: true, true));

        foreach (var failAt in new[] { 0, 1, 255, 256, 257, 600 })
        {
            var clean = Make(Shape.Aligned, 5);
            var unfused = Run(new CountingSource(clean, failAt), (o, _) => o.Detect(new ZScoreDetector()), fuse: false, true);
            var fused = Run(new CountingSource(clean, failAt), (o, _) => o.Detect(new ZScoreDetector()), fuse: true, true);
            Assert.Equal(unfused, fused);
            Assert.Equal(failAt, fused.Count(e => e.Kind == NotificationKind.OnNext && e.Time != DateTimeOffset.MinValue));
        }
    }

    [Fact]
    public void Detect_Fused_RowLateForTheClock_SameOrderError()
    {
        var data = Make(Shape.Single, 8, rows: 100);
        var logs = new[] { true, false }.Select(fuse =>
        {
            var scheduler = new ReplayScheduler(T0);
            var source = ObservationReplay.Virtual(data, scheduler);
            var (recorder, subscription) = (fuse ? source : Hide(source)).Detect(new ZScoreDetector()).Record(scheduler);
            scheduler.AdvanceTo(new DateTimeOffset(T0.AddMinutes(10)));
            scheduler.Sleep(TimeSpan.FromMinutes(30)); // the clock jumps past the data
            scheduler.RunToCompletion();
            subscription.Dispose();
            Assert.IsType<ObservationOrderException>(recorder.Error);
            return Log(recorder);
        }).ToArray();
        Assert.Equal(logs[1], logs[0]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(700)]
    public void Detect_Fused_DisposedInOnNext_StopsAndReleasesTheSource(int at)
    {
        var data = Make(Shape.Aligned, 6, rows: 2000);
        var source = new CountingSource(data);
        var scheduler = new ReplayScheduler();
        var items = 0;
        IDisposable? subscription = null;
        subscription = ObservationReplay.Virtual(source, scheduler).Detect(new ZScoreDetector()).Subscribe(_ =>
        {
            if (++items == at)
            {
                subscription!.Dispose();
            }
        });
        scheduler.RunToCompletion();

        Assert.Equal(at, items);
        Assert.Equal(1, source.Disposals);
        Assert.Equal(0, scheduler.ActiveReplays);
        Assert.InRange(source.Reads, at, at + 256); // one block read ahead at most
    }

    [Fact]
    public void Detect_Fused_TwoReplaysOnOneScheduler_SameInterleaving()
    {
        var a = Make(Shape.Aligned, 1, rows: 600);
        var b = Make(Shape.Irregular, 2, rows: 600).Select(o => o with { Series = "b" + o.Series }).ToArray();
        var logs = new[] { true, false }.Select(fuse =>
        {
            var scheduler = new ReplayScheduler();
            var log = new List<(string, DateTimeOffset, double?)>();
            var ra = ObservationReplay.Virtual(a, scheduler);
            var rb = ObservationReplay.Virtual(b, scheduler);
            using (( fuse ? ra : Hide(ra)).Detect(new ZScoreDetector(10, 3)).Subscribe(x => log.Add((x.Observation.Series, scheduler.Now, x.Score))))
            using (( fuse ? rb : Hide(rb)).Detect(new ZScoreDetector(10, 3)).Subscribe(x => log.Add((x.Observation.Series, scheduler.Now, x.Score))))
            {
                scheduler.RunToCompletion();
            }

            return log;
        }).ToArray();
        Assert.Equal(logs[1], logs[0]);
    }

    [Fact]
    public void Detect_ReplaySubscribedOrDisposedInOnNext_AndTimersCancelled_RunAheadInterleavesLikePlainDispatch()
    {
        // What changes the run-ahead horizon from inside a run: a replay subscribed mid-run (due at the current row's
        // time, so it must go next on ties it wins), a replay disposed mid-run, a timer scheduled then cancelled.
        var a = Make(Shape.Aligned, 3, rows: 900);
        var b = Make(Shape.Irregular, 4, rows: 900).Select(o => o with { Series = "b" + o.Series }).ToArray();
        var c = Make(Shape.Aligned, 5, rows: 900).Select(o => o with { Series = "c" + o.Series }).ToArray();
        // Plain dispatch (Start: one row per dispatch, no run-ahead) is the oracle for both replays under RunToCompletion.
        var logs = new[] { (true, true), (false, true), (true, false), (false, false) }.Select(run =>
        {
            var (fuse, runAhead) = run;
            var scheduler = new ReplayScheduler();
            var log = new List<string>();
            var subscriptions = new List<IDisposable>();
            IObservable<ScoredObservation> Detect(LabeledObservation[] data) =>
                (fuse ? ObservationReplay.Virtual(data, scheduler) : Hide(ObservationReplay.Virtual(data, scheduler))).Detect(new ZScoreDetector(10, 3));

            var n = 0;
            IDisposable? cSubscription = null;
            var late = b.Where(o => o.Timestamp >= a[300].Timestamp).ToArray();
            subscriptions.Add(Detect(a).Subscribe(x =>
            {
                log.Add($"a {x.Observation.Series} {scheduler.Now:O} {x.Score}");
                n++;
                if (n == 300)
                {
                    subscriptions.Add(Detect(late).Subscribe(y => log.Add($"b {y.Observation.Series} {scheduler.Now:O} {y.Score}")));
                }

                if (n == 200)
                {
                    // From here on replay a runs alone, so only the scheduler's bookkeeping can stop its run at the right row.
                    cSubscription?.Dispose();
                }

                if (n % 37 == 0)
                {
                    var timer = scheduler.Schedule(TimeSpan.FromSeconds(30), () => log.Add($"cancelled timer ran at {scheduler.Now:O}"));
                    scheduler.Schedule(TimeSpan.FromSeconds(10), () =>
                    {
                        log.Add($"timer at {scheduler.Now:O}");
                        timer.Dispose();
                    });
                }
            }));
            cSubscription = Detect(c).Subscribe(x => log.Add($"c {x.Observation.Series} {scheduler.Now:O} {x.Score}"));
            if (runAhead)
            {
                scheduler.RunToCompletion();
            }
            else
            {
                scheduler.Start();
            }

            foreach (var s in subscriptions)
            {
                s.Dispose();
            }

            return log;
        }).ToArray();
        Assert.Contains(logs[0], l => l.StartsWith("b ", StringComparison.Ordinal));
        Assert.Contains(logs[0], l => l.StartsWith("timer", StringComparison.Ordinal));
        Assert.Equal(logs[2], logs[0]);
        Assert.Equal(logs[3], logs[1]);
        Assert.Equal(logs[3], logs[0]);
    }

    /// <summary>Fused and unfused logs are equal on every shape and seed, under RunToCompletion and Start, with pre-scheduled timers.</summary>
    private static void AssertSame<T>(Func<IObservable<LabeledObservation>, ReplayScheduler, IObservable<T>> pipeline, bool expectError = false)
    {
        var errors = 0;
        foreach (var shape in Shapes)
        {
            foreach (var seed in Seeds)
            {
                var data = Make(shape, seed);
                foreach (var runToCompletion in new[] { true, false })
                {
                    var unfused = Run(data, pipeline, fuse: false, runToCompletion);
                    var fused = Run(data, pipeline, fuse: true, runToCompletion);
                    Assert.Equal(unfused, fused);
                    errors += fused[^1].Kind == NotificationKind.OnError ? 1 : 0;
                }
            }
        }

        if (expectError)
        {
            Assert.True(errors > 0, "the test data should make the operator fail");
        }
    }

    private static List<(DateTimeOffset Time, NotificationKind Kind, string Text)> Run<T>(
        IEnumerable<LabeledObservation> data, Func<IObservable<LabeledObservation>, ReplayScheduler, IObservable<T>> pipeline, bool fuse, bool runToCompletion)
    {
        var scheduler = new ReplayScheduler();
        var list = data as IReadOnlyList<LabeledObservation>;
        var first = list is { Count: > 0 } ? list[0].Timestamp : T0;
        // Timers between rows: the order of timers and rows (and the clock at each) is part of what must not change.
        var order = new List<string>();
        foreach (var k in Enumerable.Range(1, 25))
        {
            var id = k;
            scheduler.ScheduleAbsolute(new DateTimeOffset(first.AddMinutes(k * 13).AddSeconds(k)), () => order.Add($"timer {id} at {scheduler.Now:O}"));
        }

        var source = ObservationReplay.Virtual(data, scheduler);
        var (recorder, subscription) = pipeline(fuse ? source : Hide(source), scheduler).Record(scheduler);
        recorder.OnNextHook = _ => order.Add($"row at {scheduler.Now:O}");
        if (runToCompletion)
        {
            scheduler.RunToCompletion();
        }
        else
        {
            scheduler.Start();
        }

        subscription.Dispose();
        Assert.Equal(1, recorder.Terminals);
        return [.. order.Select(o => (DateTimeOffset.MinValue, NotificationKind.OnNext, o)), .. Log(recorder)];
    }

    private static List<(DateTimeOffset Time, NotificationKind Kind, string Text)> Log<T>(Recorder<T> recorder) =>
        [.. recorder.Log.Select(e => (e.Time, e.Notification.Kind,
            e.Notification.Kind switch
            {
                NotificationKind.OnNext => e.Notification.Value?.ToString() ?? "",
                NotificationKind.OnError => $"{e.Notification.Exception!.GetType().Name}: {e.Notification.Exception.Message}",
                _ => "",
            }))];

    /// <summary>The replay behind a pass-through observable: the operators cannot see it, so they do not fuse.</summary>
    private static IObservable<T> Hide<T>(IObservable<T> source) => new PassThrough<T>(source);

    private sealed class PassThrough<T>(IObservable<T> inner) : IObservable<T>
    {
        public IDisposable Subscribe(IObserver<T> observer) => inner.Subscribe(observer);
    }

    private sealed class ThrowingKernelDetector(double limit) : IDetector
    {
        public string Name => "throwing";

        public string Spec => "throwing";

        public double Threshold => 1;

        public IDetectorKernel CreateKernel() => new Kernel(limit);

        private sealed class Kernel(double limit) : IDetectorKernel
        {
            public double? Update(DateTime timestamp, double? value) =>
                value >= limit ? throw new InvalidOperationException($"kernel failed at {timestamp:O}") : value;
        }
    }
}
