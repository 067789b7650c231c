using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Workbench.Core;
using Workbench.Generation;
using static Workbench.Tests.Generation.InjectionTestData;

namespace Workbench.Tests.Generation;

public class InjectionObservableExtensionsTests
{
    private static readonly string[] Names = ["h-1/latency", "h-1/errors", "h-2/latency"];

    private static List<LabeledObservation> Collect(IObservable<LabeledObservation> source)
    {
        var list = new List<LabeledObservation>();
        Exception? error = null;
        using (source.Subscribe(list.Add, e => error = e))
        {
        }

        if (error is not null)
        {
            throw error;
        }

        return list;
    }

    private static List<double?[]> NoisySeries(int n) => [Noisy(n, 1), Noisy(n, 2, level: 0.5), Noisy(n, 3, level: 1000)];

    private static AnomalyInjection[] MixedInjections() =>
    [
        new(new SpikeOptions { Magnitude = 6, Sigma = 2, Length = 2, Direction = InjectionDirection.Random }, InjectionTrigger.Random(0.01, seed: 5, minGap: 10)),
        new(new LevelShiftOptions { Magnitude = 3, Sigma = 2, Duration = 20, Direction = InjectionDirection.Random }, InjectionTrigger.AtIndex(50, seed: 2)),
        new(new DriftOptions { Magnitude = 4, Sigma = 2, RampLength = 15, HoldLength = 10 }, InjectionTrigger.AtTimestamp(T0.AddMinutes(120))),
        new(new MissingOptions { Length = 5 }, InjectionTrigger.Random(0.005, seed: 9, minGap: 10)),
        new(new SeasonalOptions { Component = new SeasonalComponent(24, 3, 0), AmplitudeFactor = 2, Length = 30 }, InjectionTrigger.AtIndex(200, [Names[0], Names[2]])),
    ];

    [Fact]
    public void InjectAnomalies_EqualsArrayInjector_PerSeries()
    {
        const int n = 300;
        var series = NoisySeries(n);
        var streamed = Collect(Interleave(Names, series).ToObservable().InjectAnomalies(MixedInjections(), ConflictPolicy.Skip));

        Assert.Equal(n * Names.Length, streamed.Count);
        var labelledTotal = 0;
        for (var s = 0; s < Names.Length; s++)
        {
            var values = (double?[])series[s].Clone();
            var labels = Normal(n);
            AnomalyInjector.Inject(Names[s], Timestamps(n), values, labels, MixedInjections(), ConflictPolicy.Skip);
            var mine = streamed.Where(o => o.Series == Names[s]).ToList();
            Assert.Equal(values, mine.Select(o => o.Value));
            Assert.Equal(labels, mine.Select(o => o.Label));
            Assert.Equal(Timestamps(n), mine.Select(o => o.Timestamp));
            labelledTotal += labels.Count(l => l.IsAnomaly);
        }

        Assert.True(labelledTotal > 100, $"only {labelledTotal} labelled points: the equivalence check is too weak");
        Assert.Contains(streamed, o => o.Label.Kind == AnomalyKind.Seasonal);
        Assert.Contains(streamed, o => o.Label.Kind == AnomalyKind.Drift);
        Assert.Contains(streamed, o => o.Label.Kind == AnomalyKind.LevelShift);
    }

    public static TheoryData<string> Kinds() => new() { "spike", "level_shift", "drift", "missing", "seasonal" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SingleKindOperator_EqualsArrayInjector_AndLabelsOnlyChangedPoints(string kind)
    {
        const int n = 200;
        var series = NoisySeries(n);
        var trigger = InjectionTrigger.Random(0.02, seed: 11, minGap: 5);
        InjectionOptions options;
        Func<IObservable<LabeledObservation>, IObservable<LabeledObservation>> op;
        switch (kind)
        {
            case "spike":
                var spike = new SpikeOptions { Magnitude = 5, Length = 3, Direction = InjectionDirection.Random, Range = ValueRange.NonNegative };
                (options, op) = (spike, s => s.InjectSpike(spike, trigger));
                break;
            case "level_shift":
                var shift = new LevelShiftOptions { Magnitude = 5, Duration = 12 };
                (options, op) = (shift, s => s.InjectLevelShift(shift, trigger));
                break;
            case "drift":
                var drift = new DriftOptions { Magnitude = 5, RampLength = 8, HoldLength = 4 };
                (options, op) = (drift, s => s.InjectDrift(drift, trigger));
                break;
            case "missing":
                var missing = new MissingOptions { Length = 4 };
                (options, op) = (missing, s => s.InjectMissing(missing, trigger));
                break;
            default:
                var seasonal = new SeasonalOptions { Component = new SeasonalComponent(16, 2, 1), PhaseShift = 1.5, Length = 10 };
                (options, op) = (seasonal, s => s.InjectSeasonal(seasonal, trigger));
                break;
        }

        var streamed = Collect(op(Interleave(Names, series).ToObservable()));
        for (var s = 0; s < Names.Length; s++)
        {
            var values = (double?[])series[s].Clone();
            var labels = Normal(n);
            var result = AnomalyInjector.Inject(Names[s], Timestamps(n), values, labels, new AnomalyInjection(options, trigger));
            var mine = streamed.Where(o => o.Series == Names[s]).ToList();
            Assert.Equal(values, mine.Select(o => o.Value));
            Assert.Equal(labels, mine.Select(o => o.Label));
            Assert.NotEmpty(result.Events);
            for (var i = 0; i < n; i++)
            {
                Assert.Equal(mine[i].Value != series[s][i], mine[i].Label.IsAnomaly);
                Assert.True(!mine[i].Label.IsAnomaly || mine[i].Label.Kind!.Name == kind);
            }
        }
    }

    [Fact]
    public void PerSeriesState_IndexCountsEachSeriesSeparately()
    {
        var input = Interleave(["a", "b"], [Constant(6, 0), Constant(6, 0)]);
        // 'b' starts two observations later than 'a' in the merged stream.
        input = input.Where(o => o.Series == "a").Take(2).Concat(input.Where(o => !(o.Series == "a" && o.Timestamp < T0.AddMinutes(2)))).ToList();
        var output = Collect(input.ToObservable().InjectSpike(new SpikeOptions { Magnitude = 1 }, InjectionTrigger.AtIndex(3)));

        Assert.Equal([T0.AddMinutes(3)], output.Where(o => o.Series == "a" && o.Label.IsAnomaly).Select(o => o.Timestamp));
        Assert.Equal([T0.AddMinutes(3)], output.Where(o => o.Series == "b" && o.Label.IsAnomaly).Select(o => o.Timestamp));
        Assert.All(output.Where(o => o.Label.IsAnomaly), o => Assert.Equal(0, o.Label.EventId));
    }

    [Fact]
    public void Subscriptions_DoNotShareState()
    {
        var source = Interleave(Names, NoisySeries(100)).ToObservable();
        var injected = source.InjectSpike(new SpikeOptions(), InjectionTrigger.Random(0.05, seed: 3));
        var first = Collect(injected);
        var second = Collect(injected);
        Assert.Equal(first, second);
        Assert.Contains(first, o => o.Label.IsAnomaly);
    }

    [Fact]
    public void Conflict_Fail_SendsOnErrorOnce_AndUnsubscribesFromSource()
    {
        var subject = new Subject<LabeledObservation>();
        var received = new List<LabeledObservation>();
        Exception? error = null;
        var completed = false;
        using var subscription = subject
            .InjectLevelShift(new LevelShiftOptions { Duration = 10 }, InjectionTrigger.AtIndex(1))
            .Subscribe(received.Add, e => error = e, () => completed = true);

        subject.OnNext(LabeledObservation.Normal("a", T0, 1));
        subject.OnNext(LabeledObservation.Normal("a", T0.AddMinutes(1), 1));
        subject.OnNext(new LabeledObservation("a", T0.AddMinutes(2), 1, AnomalyLabel.Anomaly(AnomalyKind.Spike, 7)));

        var conflict = Assert.IsType<InjectionConflictException>(error);
        Assert.Equal(("a", 2L, InjectionConflictReason.LabelledPoint), (conflict.Series, conflict.Index, conflict.Reason));
        Assert.Equal(2, received.Count);
        Assert.Equal(5, received[1].Value);
        Assert.False(subject.HasObservers);
        subject.OnNext(LabeledObservation.Normal("a", T0.AddMinutes(3), 1));
        subject.OnCompleted();
        Assert.Equal(2, received.Count);
        Assert.False(completed);
    }

    [Fact]
    public void Conflict_Skip_PassesLabelledPointsThroughAndCounts()
    {
        var counters = new InjectionCounters();
        var input = new[]
        {
            LabeledObservation.Normal("a", T0, 1),
            new LabeledObservation("a", T0.AddMinutes(1), 1, AnomalyLabel.Anomaly(AnomalyKind.Spike, 7)),
            LabeledObservation.Normal("a", T0.AddMinutes(2), 1),
        };
        var output = Collect(input.ToObservable().InjectMissing(new MissingOptions { Length = 3 }, InjectionTrigger.AtIndex(0), ConflictPolicy.Skip, counters));

        Assert.Equal([null, 1, 1], output.Select(o => o.Value));
        Assert.Equal(AnomalyLabel.Anomaly(AnomalyKind.Missing, 0), output[0].Label);
        Assert.Equal(AnomalyLabel.Anomaly(AnomalyKind.Spike, 7), output[1].Label);
        Assert.False(output[2].Label.IsAnomaly);
        Assert.Equal((1L, 0L, 1L, 1L), (counters.EventsInjected, counters.EventsSkipped, counters.EventsTruncated, counters.PointsLabelled));
    }

    [Fact]
    public void ChainedInjectors_IdClash_IsReportedNotSilent()
    {
        var input = Interleave(["a"], [Constant(20, 0)]).ToObservable();
        var chained = input
            .InjectSpike(new SpikeOptions(), InjectionTrigger.AtIndex(10))
            .InjectSpike(new SpikeOptions(), InjectionTrigger.AtIndex(5));
        var error = Assert.Throws<InjectionConflictException>(() => Collect(chained));
        Assert.Equal((10L, InjectionConflictReason.EventIdClash), (error.Index, error.Reason));

        var separated = Collect(input
            .InjectSpike(new SpikeOptions(), InjectionTrigger.AtIndex(10))
            .InjectSpike(new SpikeOptions(), InjectionTrigger.AtIndex(5), firstEventId: 100));
        Assert.Equal([100, 0], separated.Where(o => o.Label.IsAnomaly).Select(o => o.Label.EventId!.Value));
    }

    [Fact]
    public void SourceErrorAndCompletion_AreForwarded()
    {
        var boom = new InvalidOperationException("boom");
        var source = Observable.Return(LabeledObservation.Normal("a", T0, 1)).Concat(Observable.Throw<LabeledObservation>(boom));
        var received = new List<LabeledObservation>();
        Exception? error = null;
        source.InjectSpike(new SpikeOptions(), InjectionTrigger.AtIndex(0)).Subscribe(received.Add, e => error = e);
        Assert.Same(boom, error);
        Assert.Single(received);

        var completed = false;
        Observable.Empty<LabeledObservation>().InjectDrift(new DriftOptions(), InjectionTrigger.AtIndex(0)).Subscribe(_ => { }, () => completed = true);
        Assert.True(completed);
    }

    [Fact]
    public void ObservationWithoutSeries_EndsWithArgumentException()
    {
        Exception? error = null;
        Observable.Return(default(LabeledObservation)).InjectSpike(new SpikeOptions(), InjectionTrigger.AtIndex(0)).Subscribe(_ => { }, e => error = e);
        Assert.IsType<ArgumentException>(error);
    }

    [Fact]
    public void Dispose_StopsWork_AndUnsubscribes()
    {
        var scheduler = new HistoricalScheduler(new DateTimeOffset(T0));
        var source = Observable.Interval(TimeSpan.FromMinutes(1), scheduler)
            .Select(i => LabeledObservation.Normal("a", T0.AddMinutes(i), i));
        var received = new List<LabeledObservation>();
        var subscription = source.InjectLevelShift(new LevelShiftOptions { Magnitude = 100 }, InjectionTrigger.AtIndex(2)).Subscribe(received.Add);

        scheduler.AdvanceBy(TimeSpan.FromMinutes(4));
        Assert.Equal([0, 1, 102, 103], received.Select(o => o.Value));
        subscription.Dispose();
        scheduler.AdvanceBy(TimeSpan.FromMinutes(10));
        Assert.Equal(4, received.Count);
    }

    [Fact]
    public void Dispose_OnSubject_RemovesObserver()
    {
        var subject = new Subject<LabeledObservation>();
        var subscription = subject.InjectMissing(new MissingOptions(), InjectionTrigger.AtIndex(0)).Subscribe(_ => { });
        Assert.True(subject.HasObservers);
        subscription.Dispose();
        Assert.False(subject.HasObservers);
    }

    [Fact]
    public void ArgumentChecks_AreEagerAtTheCall()
    {
        var source = Observable.Empty<LabeledObservation>();
        var trigger = InjectionTrigger.AtIndex(0);
        Assert.Throws<ArgumentNullException>(() => ((IObservable<LabeledObservation>)null!).InjectSpike(new SpikeOptions(), trigger));
        Assert.Throws<ArgumentNullException>(() => source.InjectSpike(null!, trigger));
        Assert.Throws<ArgumentNullException>(() => source.InjectSpike(new SpikeOptions(), null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.InjectSpike(new SpikeOptions { Length = 0 }, trigger));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.InjectDrift(new DriftOptions(), trigger, (ConflictPolicy)9));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.InjectMissing(new MissingOptions(), trigger, firstEventId: -1));
        Assert.Throws<ArgumentException>(() => source.InjectAnomalies([]));
    }
}
