using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Workbench.Core;
using Workbench.Operators.Alerting;
using Workbench.Operators.Detection;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Alerting;

public class AlertObservableTests
{
    private static DateTime T(int minute) => T0.AddMinutes(minute);

    /// <summary>Scores of one series at 1-minute steps from T0.</summary>
    private static List<ScoredObservation> Scores(string series, params double?[] scores) =>
        scores.Select((s, i) => new ScoredObservation(LabeledObservation.Normal(series, T(i), 0), s)).ToList();

    private static AlertEvent Ev(long id, AlertLevel level, AlertState state, int minute, double peak, string series = "s") =>
        new(series, id, level, state, T(minute), peak);

    /// <summary>Runs through Rx (synchronously, no acknowledgements) and the batch twin; asserts the same events.</summary>
    private static AlertEvent[] Run(AlertOptions options, List<ScoredObservation> input)
    {
        var streamed = input.ToObservable().Alert(options).ToList().Wait().ToArray();
        var batch = AlertBatch.Run(options, input);
        Assert.Equal(batch, streamed);
        return batch;
    }

    [Fact]
    public void RaisesAtWarning_ResolvesBelowIt_WithPeak()
    {
        var events = Run(new AlertOptions(3), Scores("s", 1, 3, 4, 2.9, 1));
        Assert.Equal([Ev(1, AlertLevel.Warning, AlertState.Raised, 1, 3), Ev(1, AlertLevel.Warning, AlertState.Resolved, 3, 4)], events);
    }

    [Fact]
    public void Hysteresis_ClearsOnlyBelowTheClearLevel()
    {
        var events = Run(new AlertOptions(3, Clear: 2), Scores("s", 3.5, 2.5, 2.9, 2, 1.9, 2.5));
        Assert.Equal([Ev(1, AlertLevel.Warning, AlertState.Raised, 0, 3.5), Ev(1, AlertLevel.Warning, AlertState.Resolved, 4, 3.5)], events);
    }

    [Fact]
    public void MinCount_NeedsConsecutiveObservations()
    {
        var events = Run(new AlertOptions(3, MinCount: 3), Scores("s", 4, 4, 1, 4, 5, 4, 1));
        Assert.Equal([Ev(1, AlertLevel.Warning, AlertState.Raised, 5, 5), Ev(1, AlertLevel.Warning, AlertState.Resolved, 6, 5)], events);
    }

    [Fact]
    public void MinDuration_IsEventTimeFromTheRunsFirstObservation()
    {
        var events = Run(new AlertOptions(3, MinDuration: TimeSpan.FromMinutes(2)), Scores("s", 4, 4, 4, 1));
        Assert.Equal([Ev(1, AlertLevel.Warning, AlertState.Raised, 2, 4), Ev(1, AlertLevel.Warning, AlertState.Resolved, 3, 4)], events);
    }

    [Fact]
    public void Cooldown_SuppressesNewAlerts_ThenTheContinuingRunRaises()
    {
        // Resolved at minute 1 -> no alert before minute 6; the run starting at minute 2 raises at minute 6.
        var events = Run(new AlertOptions(3, Cooldown: TimeSpan.FromMinutes(5)), Scores("s", 4, 1, 4, 6, 4, 4, 4, 1));
        Assert.Equal(
            [
                Ev(1, AlertLevel.Warning, AlertState.Raised, 0, 4), Ev(1, AlertLevel.Warning, AlertState.Resolved, 1, 4),
                Ev(2, AlertLevel.Warning, AlertState.Raised, 6, 6), Ev(2, AlertLevel.Warning, AlertState.Resolved, 7, 6),
            ],
            events);
    }

    [Fact]
    public void Escalation_WarningToCritical_EmitsAnEvent_DirectCriticalRaise()
    {
        var options = new AlertOptions(3, Critical: 6);
        Assert.Equal(
            [
                Ev(1, AlertLevel.Warning, AlertState.Raised, 0, 4), Ev(1, AlertLevel.Critical, AlertState.Escalated, 1, 7),
                Ev(1, AlertLevel.Critical, AlertState.Resolved, 3, 7),
            ],
            Run(options, Scores("s", 4, 7, 4, 2)));
        Assert.Equal([Ev(1, AlertLevel.Critical, AlertState.Raised, 0, 9)], Run(options, Scores("s", 9, 5)));
    }

    [Fact]
    public void Escalation_NeedsTheMinimumRunToo()
    {
        var events = Run(new AlertOptions(3, Critical: 6, MinCount: 2), Scores("s", 4, 7, 5, 7, 7));
        Assert.Equal([Ev(1, AlertLevel.Warning, AlertState.Raised, 1, 7), Ev(1, AlertLevel.Critical, AlertState.Escalated, 4, 7)], events);
    }

    [Fact]
    public void NullScores_ChangeNothing()
    {
        var events = Run(new AlertOptions(3, MinCount: 2), Scores("s", 4, null, 4, null, 1));
        Assert.Equal([Ev(1, AlertLevel.Warning, AlertState.Raised, 2, 4), Ev(1, AlertLevel.Warning, AlertState.Resolved, 4, 4)], events);
    }

    [Fact]
    public void PerSeries_StateIsIsolated_IdsCountAcrossSeries()
    {
        var a = Scores("a", 4, 4, 1);
        var b = Scores("b", 1, 5, 5);
        var mixed = a.Concat(b).OrderBy(s => s.Observation.Timestamp).ThenBy(s => s.Observation.Series, StringComparer.Ordinal).ToList();
        var events = Run(new AlertOptions(3, MinCount: 2), mixed);
        Assert.Equal(
            [
                Ev(1, AlertLevel.Warning, AlertState.Raised, 1, 4, "a"), Ev(1, AlertLevel.Warning, AlertState.Resolved, 2, 4, "a"),
                Ev(2, AlertLevel.Warning, AlertState.Raised, 2, 5, "b"),
            ],
            events);
    }

    [Fact]
    public void Acknowledgement_InVirtualTime_Lifecycle()
    {
        var scheduler = new HistoricalScheduler(new DateTimeOffset(T0));
        var input = Scores("s", 4, 4, 7, 7, 1);
        var acks = new[]
        {
            new Acknowledgement("s", 1, T(0).AddSeconds(30)), // acknowledges the warning
            new Acknowledgement("s", 1, T(0).AddSeconds(40)), // again: ignored
            new Acknowledgement("s", 1, T(2).AddSeconds(10)), // re-acknowledges after the escalation
            new Acknowledgement("s", 1, T(4).AddSeconds(10)), // after resolution: ignored
        };
        var scores = Observable.Create<ScoredObservation>(o =>
            new System.Reactive.Disposables.CompositeDisposable(input.Select(s => scheduler.Schedule(new DateTimeOffset(s.Observation.Timestamp), () => o.OnNext(s)))));
        var ackStream = Observable.Create<Acknowledgement>(o =>
            new System.Reactive.Disposables.CompositeDisposable(acks.Select(a => scheduler.Schedule(new DateTimeOffset(a.Timestamp), () => o.OnNext(a)))));

        var events = new List<AlertEvent>();
        using var sub = scores.Alert(new AlertOptions(3, Critical: 6), ackStream).Subscribe(events.Add);
        scheduler.Start();

        AlertEvent[] expected =
        [
            Ev(1, AlertLevel.Warning, AlertState.Raised, 0, 4),
            new("s", 1, AlertLevel.Warning, AlertState.Acknowledged, T(0).AddSeconds(30), 4),
            Ev(1, AlertLevel.Critical, AlertState.Escalated, 2, 7),
            new("s", 1, AlertLevel.Critical, AlertState.Acknowledged, T(2).AddSeconds(10), 7),
            Ev(1, AlertLevel.Critical, AlertState.Resolved, 4, 7),
        ];
        Assert.Equal(expected, events);
        Assert.Equal(expected, AlertBatch.Run(new AlertOptions(3, Critical: 6), input, acks));
    }

    [Fact]
    public void Acknowledgement_AtTheSameInstantAsAnObservation_AppliesAfterIt()
    {
        var input = Scores("s", 4, 1);
        var ack = new Acknowledgement("s", 1, T(0));
        var events = AlertBatch.Run(new AlertOptions(3), input, [ack]);
        Assert.Equal(AlertState.Acknowledged, events[1].State);
    }

    [Fact]
    public void Acknowledgement_OfAnAlertNeverRaised_FailsTheStream()
    {
        var scores = new Subject<ScoredObservation>();
        var acks = new Subject<Acknowledgement>();
        Exception? error = null;
        var events = new List<AlertEvent>();
        using var sub = scores.Alert(new AlertOptions(3), acks).Subscribe(events.Add, e => error = e);
        scores.OnNext(Scores("s", 4)[0]);
        acks.OnNext(new Acknowledgement("s", 2, T(1)));
        scores.OnNext(Scores("s", 1)[0]);

        var e = Assert.IsType<ArgumentException>(error);
        Assert.Contains("alert 2 for series 's'", e.Message, StringComparison.Ordinal);
        Assert.Single(events);
        Assert.False(scores.HasObservers);
        Assert.False(acks.HasObservers);
        Assert.Throws<ArgumentException>(() => AlertBatch.Run(new AlertOptions(3), Scores("s", 4), [new Acknowledgement("s", 2, T(1))]));
    }

    [Fact]
    public void Tracker_CountsIgnoredAcknowledgements()
    {
        var tracker = new AlertTracker(new AlertOptions(3));
        Assert.Equal(AlertState.Raised, tracker.Observe("a", T(0), 5)!.Value.State);
        Assert.Equal(AlertState.Acknowledged, tracker.Acknowledge(new("a", 1, T(1)))!.Value.State);
        Assert.Null(tracker.Acknowledge(new("a", 1, T(1))));
        Assert.Null(tracker.Acknowledge(new("b", 1, T(1)))); // raised, but for another series
        Assert.Equal(2, tracker.IgnoredAcknowledgements);
    }

    [Fact]
    public void Grammar_SourceEndsTheOutput_AckCompletionDoesNot_AckErrorFails()
    {
        var scores = new Subject<ScoredObservation>();
        var acks = new Subject<Acknowledgement>();
        var completed = 0;
        Exception? error = null;
        using (scores.Alert(new AlertOptions(3), acks).Subscribe(_ => { }, e => error = e, () => completed++))
        {
            acks.OnCompleted();
            scores.OnNext(Scores("s", 4)[0]);
            scores.OnCompleted();
        }

        Assert.Equal(1, completed);
        Assert.Null(error);

        var scores2 = new Subject<ScoredObservation>();
        var acks2 = new Subject<Acknowledgement>();
        var boom = new InvalidOperationException("boom");
        using (scores2.Alert(new AlertOptions(3), acks2).Subscribe(_ => { }, e => error = e, () => completed++))
        {
            acks2.OnError(boom);
            scores2.OnError(new InvalidOperationException("second"));
        }

        Assert.Same(boom, error);
        Assert.Equal(1, completed);
        Assert.False(scores2.HasObservers);
    }

    [Fact]
    public void Dispose_StopsOutput_AndUnsubscribesBothInputs()
    {
        var scores = new Subject<ScoredObservation>();
        var acks = new Subject<Acknowledgement>();
        var events = new List<AlertEvent>();
        var sub = scores.Alert(new AlertOptions(3), acks).Subscribe(events.Add);
        scores.OnNext(Scores("s", 4)[0]);
        sub.Dispose();
        scores.OnNext(Scores("s", 1, 1)[1]);
        Assert.Single(events);
        Assert.False(scores.HasObservers);
        Assert.False(acks.HasObservers);
    }

    [Fact]
    public void Subscriptions_AreIndependent()
    {
        var input = Scores("s", 4, 1, 5).ToObservable();
        var alerts = input.Alert(new AlertOptions(3));
        var first = alerts.ToList().Wait();
        var second = alerts.ToList().Wait();
        Assert.Equal(first, second);
        Assert.Equal([1L, 1, 2], first.Select(e => e.AlertId));
    }

    [Fact]
    public void FlaggedStreams_UseTheScore()
    {
        var flagged = Scores("s", 4, 1).Select(s => new FlaggedObservation(s.Observation, s.Score, false)).ToObservable();
        var events = flagged.Alert(new AlertOptions(3)).ToList().Wait();
        Assert.Equal([AlertState.Raised, AlertState.Resolved], events.Select(e => e.State));
    }

    [Fact]
    public void EndToEnd_FromADetector()
    {
        var input = Series("s", 1, 2, 3, 2, 1, 2, 30, 31, 1, 2);
        var events = input.ToObservable().Detect(new MadDetector(5)).Alert(new AlertOptions(3.5)).ToList().Wait();
        Assert.Equal(AlertState.Raised, events[0].State);
        Assert.Equal(T0.AddMinutes(6), events[0].Timestamp);
    }

    [Theory]
    [InlineData(double.NaN, null, null, 1, 0, 0, "Warning")]
    [InlineData(3, 3.0, null, 1, 0, 0, "Critical")]
    [InlineData(3, null, 3.5, 1, 0, 0, "Clear")]
    [InlineData(3, null, null, 0, 0, 0, "MinCount")]
    [InlineData(3, null, null, 1, -1, 0, "MinDuration")]
    [InlineData(3, null, null, 1, 0, -1, "Cooldown")]
    public void Options_OutOfRange_Throw(double warning, double? critical, double? clear, int minCount, int minDurationMinutes, int cooldownMinutes, string param)
    {
        var options = new AlertOptions(warning, critical, clear, minCount, TimeSpan.FromMinutes(minDurationMinutes), TimeSpan.FromMinutes(cooldownMinutes));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Observable.Empty<ScoredObservation>().Alert(options));
        Assert.Equal(param, e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AlertTracker(options));
    }
}
