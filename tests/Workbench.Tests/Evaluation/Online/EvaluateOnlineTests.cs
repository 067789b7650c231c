using System.Reactive.Linq;
using System.Reactive.Subjects;
using Workbench.Core;
using Workbench.Evaluation.Metrics;
using Workbench.Evaluation.Online;
using Workbench.Operators.Detection;
using Workbench.Replay;
using static Workbench.Tests.Evaluation.Online.OnlineEvaluationTestData;

namespace Workbench.Tests.Evaluation.Online;

public class EvaluateOnlineTests
{
    private static FlaggedObservation Point(string series, int minute, bool labelled, bool flag) =>
        new(new LabeledObservation(series, T0.AddMinutes(minute), minute,
            labelled ? new AnomalyLabel(true, AnomalyKind.Spike, null) : AnomalyLabel.Normal), flag ? 1 : 0, flag);

    [Fact]
    public void EvaluateOnline_ArgumentChecks_ThrowAtTheCall()
    {
        Assert.Throws<ArgumentNullException>(() => ((IObservable<FlaggedObservation>)null!).EvaluateOnline());
        var source = Observable.Empty<FlaggedObservation>();
        Assert.Throws<ArgumentOutOfRangeException>(() => source.EvaluateOnline(new OnlineEvaluationOptions { EmitEvery = -2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            source.EvaluateOnline(new OnlineEvaluationOptions { Range = new RangeMetricOptions { Alpha = double.NaN } }));
    }

    [Theory]
    [InlineData("runs", 1, 1, false)]
    [InlineData("ids-reopen", 2, 1, false)]
    [InlineData("mixed-modes", 3, 4, true)]
    [InlineData("many-series-short", 4, 0, true)]
    [InlineData("no-anomalies", 5, 3, false)]
    [InlineData("all-anomalies-ids", 6, 1, true)]
    public void EvaluateOnline_Stream_EqualsBatch(string shape, int seed, int every, bool onClose)
    {
        var input = Generate(Shapes[shape], seed);
        var options = new OnlineEvaluationOptions
        {
            Range = RangeOptions[seed % RangeOptions.Length], EmitEvery = every, EmitOnEventClose = onClose,
        };
        var streamed = input.ToObservable().EvaluateOnline(options).ToList().Wait();
        Assert.Equal(OnlineEvaluation.Run(input, options), streamed);
        AssertFinalEqualsBatch(streamed[^1], input, options.Range);
    }

    [Fact]
    public void EvaluateOnline_EmptySource_EmitsOneFinalSnapshotThenCompletes()
    {
        var snapshots = Observable.Empty<FlaggedObservation>().EvaluateOnline().ToList().Wait();
        var s = Assert.Single(snapshots);
        Assert.True(s.IsFinal);
        Assert.Equal(0, s.Observations);
    }

    [Fact]
    public void EvaluateOnline_Completion_EmitsFinalSnapshotOnceThenOnCompleted()
    {
        var subject = new Subject<FlaggedObservation>();
        var log = new List<string>();
        using var sub = subject.EvaluateOnline().Subscribe(
            s => log.Add(s.IsFinal ? $"final:{s.ClosedEvents}" : $"next:{s.Observations}:{s.OpenEvents}"),
            e => log.Add("error"),
            () => log.Add("completed"));
        subject.OnNext(Point("a", 0, false, false));
        subject.OnNext(Point("a", 1, true, true));
        subject.OnCompleted();
        subject.OnCompleted();
        Assert.Equal(["next:1:0", "next:2:1", "final:1", "completed"], log);
        Assert.False(subject.HasObservers);
    }

    [Fact]
    public void EvaluateOnline_SourceError_PassesOnWithoutFinalSnapshot()
    {
        var subject = new Subject<FlaggedObservation>();
        var snapshots = new List<EvaluationSnapshot>();
        var errors = new List<Exception>();
        var completed = 0;
        using var sub = subject.EvaluateOnline().Subscribe(snapshots.Add, errors.Add, () => completed++);
        subject.OnNext(Point("a", 0, true, false));
        var boom = new InvalidOperationException("source failed");
        subject.OnError(boom);
        Assert.Same(boom, Assert.Single(errors));
        Assert.False(Assert.Single(snapshots).IsFinal);
        Assert.Equal(0, completed);
    }

    [Fact]
    public void EvaluateOnline_BadInput_EndsWithOneOnError_AndUnsubscribesUpstream()
    {
        var subject = new Subject<FlaggedObservation>();
        var snapshots = new List<EvaluationSnapshot>();
        var errors = new List<Exception>();
        var completed = 0;
        using var sub = subject.EvaluateOnline().Subscribe(snapshots.Add, errors.Add, () => completed++);
        subject.OnNext(Point("a", 3, false, false));
        subject.OnNext(Point("a", 2, false, false)); // earlier than the previous point of series a
        subject.OnNext(Point("a", 4, false, false));
        subject.OnCompleted();

        Assert.Single(snapshots);
        var e = Assert.IsType<ArgumentException>(Assert.Single(errors));
        Assert.Contains("Series 'a', row 1", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, completed);
        Assert.False(subject.HasObservers);
    }

    [Fact]
    public void EvaluateOnline_Dispose_UnsubscribesAndStopsSnapshots()
    {
        var subject = new Subject<FlaggedObservation>();
        var snapshots = new List<EvaluationSnapshot>();
        var sub = subject.EvaluateOnline().Subscribe(snapshots.Add);
        subject.OnNext(Point("a", 0, true, false));
        sub.Dispose();
        Assert.False(subject.HasObservers);
        subject.OnNext(Point("a", 1, true, true));
        subject.OnCompleted();
        Assert.Single(snapshots);
    }

    [Fact]
    public void EvaluateOnline_EachSubscription_HasItsOwnState()
    {
        var subject = new Subject<FlaggedObservation>();
        var evaluated = subject.EvaluateOnline();
        var first = new List<EvaluationSnapshot>();
        var second = new List<EvaluationSnapshot>();
        using var a = evaluated.Subscribe(first.Add);
        subject.OnNext(Point("a", 0, true, true));
        subject.OnNext(Point("a", 1, false, false));
        using var b = evaluated.Subscribe(second.Add);
        subject.OnNext(Point("a", 2, true, false));
        subject.OnCompleted();

        Assert.Equal((2, 1), (first[^1].ClosedEvents, first[^1].DetectedClosedEvents));
        Assert.Equal((1, 0), (second[^1].ClosedEvents, second[^1].DetectedClosedEvents));
        Assert.Equal(3, first[^1].Observations);
        Assert.Equal(1, second[^1].Observations);

        // A cold source evaluated twice gives the same sequence twice.
        var input = Generate(Shapes["ids-reopen"], seed: 8);
        var cold = input.ToObservable().EvaluateOnline();
        Assert.Equal(cold.ToList().Wait(), cold.ToList().Wait());
    }

    [Fact]
    public void EvaluateOnline_VirtualTimeReplay_SnapshotsFollowTheClock()
    {
        // A detector watched over a replay: two series, a static threshold at 5, an event of three points in series a.
        var a = new double[] { 1, 2, 9, 3, 8, 1, 1, 1 };
        var b = new double[] { 1, 7, 1, 1, 1, 1, 1, 1 };
        var data = new List<LabeledObservation>();
        for (var i = 0; i < a.Length; i++)
        {
            var label = i is >= 2 and <= 4 ? AnomalyLabel.Anomaly(AnomalyKind.Spike, 1) : AnomalyLabel.Normal;
            data.Add(new LabeledObservation("a", T0.AddMinutes(i), a[i], label));
            data.Add(LabeledObservation.Normal("b", T0.AddMinutes(i).AddSeconds(30), b[i]));
        }

        var scheduler = new ReplayScheduler(T0);
        var seen = new List<(DateTime Clock, EvaluationSnapshot Snapshot)>();
        var completed = false;
        using var sub = ObservationReplay.Virtual(data, scheduler)
            .DetectAndFlag(new StaticThresholdDetector(Upper: 5))
            .EvaluateOnline()
            .Subscribe(s => seen.Add((scheduler.UtcNow, s)), () => completed = true);

        Assert.Empty(seen);
        scheduler.AdvanceTo(new DateTimeOffset(T0.AddMinutes(2)));
        Assert.Equal(5, seen.Count); // a0 b0 a1 b1 a2
        Assert.All(seen, x => Assert.Equal(x.Clock, x.Snapshot.Time));
        var atTwo = seen[^1].Snapshot;
        Assert.Equal((1, 1, 0), (atTwo.OpenEvents, atTwo.DetectedOpenEvents, atTwo.ClosedEvents));
        Assert.Equal(1, atTwo.FalseAlarms); // b1 = 7
        Assert.Equal(0.0, atTwo.MeanDelayRows);

        scheduler.AdvanceTo(new DateTimeOffset(T0.AddMinutes(5)));
        var atFive = seen[^1].Snapshot;
        Assert.Equal(T0.AddMinutes(5), atFive.Time);
        Assert.True(atFive.EventClosed);
        Assert.Equal((1, 1, 1.0), (atFive.ClosedEvents, atFive.DetectedClosedEvents, atFive.EventRecall));
        Assert.Equal(new PointScores(2, 1, 1, 7), atFive.Points);
        Assert.Equal(1.0 / 3, atFive.RangeScoresFinal.Recall, 1e-15); // 2 of 3 event points covered, by two runs: γ·ω = (1/2)(2/3)
        Assert.False(completed);

        scheduler.Start();
        Assert.True(completed);
        Assert.Equal(data.Count + 1, seen.Count);
        Assert.True(seen[^1].Snapshot.IsFinal);
        Assert.Equal(T0.AddMinutes(7).AddSeconds(30), seen[^1].Snapshot.Time);
        var flagged = data.Select(o => new FlaggedObservation(o, null, o.Value > 5)).ToList();
        AssertFinalEqualsBatch(seen[^1].Snapshot, flagged, new RangeMetricOptions());
    }
}
