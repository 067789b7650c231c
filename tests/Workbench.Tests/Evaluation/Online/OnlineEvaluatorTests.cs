using Workbench.Core;
using Workbench.Evaluation.Metrics;
using Workbench.Evaluation.Online;
using Workbench.Operators.Detection;
using static Workbench.Tests.Evaluation.Online.OnlineEvaluationTestData;

namespace Workbench.Tests.Evaluation.Online;

public class OnlineEvaluatorTests
{
    private static FlaggedObservation Point(string series, int minute, bool labelled, bool flag, int? id = null) =>
        new(new LabeledObservation(series, T0.AddMinutes(minute), minute,
            labelled ? new AnomalyLabel(true, AnomalyKind.Spike, id) : AnomalyLabel.Normal), flag ? 1 : 0, flag);

    public static TheoryData<string, int> ShapesAndSeeds()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in Shapes.Keys)
        {
            for (var seed = 1; seed <= 6; seed++) { data.Add(name, seed); }
        }

        return data;
    }

    [Fact]
    public void Evaluator_InvalidOptions_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnlineEvaluator(new OnlineEvaluationOptions { EmitEvery = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnlineEvaluator(new OnlineEvaluationOptions { Range = new() { Alpha = 1.5 } }));
        Assert.Throws<ArgumentNullException>(() => new OnlineEvaluator(new OnlineEvaluationOptions { Range = null! }));
        Assert.Throws<ArgumentNullException>(() => OnlineEvaluation.Run(null!));
    }

    [Fact]
    public void Run_HandComputedSeries_EverySnapshot()
    {
        // rows: 0 N·, 1 A·, 2 A⚑, 3 A⚑, 4 N⚑, 5 N·, 6 A·  (A labelled, ⚑ flagged), one minute apart; no ids.
        var input = new[]
        {
            Point("a", 0, false, false), Point("a", 1, true, false), Point("a", 2, true, true), Point("a", 3, true, true),
            Point("a", 4, false, true), Point("a", 5, false, false), Point("a", 6, true, false),
        };
        var s = OnlineEvaluation.Run(input);
        Assert.Equal(8, s.Count);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i).Append(7), s.Select(x => x.Observations));
        Assert.Equal(input.Select(i => (FlaggedObservation?)i).Append(null), s.Select(x => x.Trigger));
        Assert.Equal(input.Select(i => (DateTime?)i.Observation.Timestamp).Append(T0.AddMinutes(6)), s.Select(x => x.Time));
        Assert.Equal([false, false, false, false, false, false, false, true], s.Select(x => x.IsFinal));
        Assert.Equal([false, false, false, false, true, false, false, true], s.Select(x => x.EventClosed));

        // After row 1: one open undetected event of one point, nothing flagged.
        Assert.Equal((0, 1, 0), (s[1].ClosedEvents, s[1].OpenEvents, s[1].DetectedEvents));
        Assert.Equal(new RangeScores(0, 0, 1, 0), s[1].RangeScoresProvisional);
        Assert.Equal(new RangeScores(0, 0, 0, 0), s[1].RangeScoresFinal);
        Assert.Null(s[1].MeanDelayRows);

        // After row 2: detected one row (one minute) after onset; real range 2 points half covered, run fully inside.
        Assert.Equal((1, 1.0), (s[2].DetectedOpenEvents, s[2].ProvisionalEventRecall));
        Assert.Equal(0, s[2].EventRecall);
        Assert.Equal((1.0, 1.0), (s[2].MeanDelayRows, s[2].MedianDelayRows));
        Assert.Equal(TimeSpan.FromMinutes(1), s[2].MeanDelay);
        Assert.Equal(new RangeScores(1, 0.5, 1, 1), s[2].RangeScoresProvisional);

        // After row 3: range 3 points, 2 covered.
        Assert.Equal(new RangeScores(1, 2.0 / 3, 1, 1), s[3].RangeScoresProvisional);

        // Row 4 (normal, flagged) closes the event and raises a false alarm; the run is still open (2 of 3 covered).
        Assert.Equal((1, 0, 1, 1.0), (s[4].ClosedEvents, s[4].OpenEvents, s[4].DetectedClosedEvents, s[4].EventRecall));
        Assert.Equal((1L, 1L), (s[4].FalseAlarms, s[4].FalsePositives));
        Assert.Equal(new RangeScores(0, 2.0 / 3, 1, 0), s[4].RangeScoresFinal);
        Assert.Equal(new RangeScores(2.0 / 3, 2.0 / 3, 1, 1), s[4].RangeScoresProvisional);

        // Row 5 closes the run: nothing is open, final = provisional.
        Assert.Equal(new RangeScores(2.0 / 3, 2.0 / 3, 1, 1), s[5].RangeScoresFinal);
        Assert.Same(s[5].RangeScoresFinal, s[5].RangeScoresProvisional);

        // Row 6 opens a second, undetected event.
        Assert.Equal((1, 1, 0.5, 1.0), (s[6].ClosedEvents, s[6].OpenEvents, s[6].ProvisionalEventRecall, s[6].EventRecall));
        Assert.Equal(new RangeScores(2.0 / 3, 1.0 / 3, 2, 1), s[6].RangeScoresProvisional);

        var f = s[7];
        Assert.Equal(new PointScores(2, 1, 2, 2), f.Points);
        Assert.Equal((2, 1, 0.5), (f.ClosedEvents, f.DetectedClosedEvents, f.EventRecall));
        Assert.Equal(3, f.NormalPoints);
        Assert.Equal(1000.0 / 3, f.FalseAlarmsPer1000Normal);
        Assert.Equal(TimeSpan.FromMinutes(6), f.ObservedDuration);
        Assert.Equal(1 / TimeSpan.FromMinutes(6).TotalDays, f.FalseAlarmsPerDay);
        Assert.Equal(new RangeScores(2.0 / 3, 1.0 / 3, 2, 1), f.RangeScoresFinal);
        Assert.Equal(4.0 / 9, f.RangeScoresFinal.F1, 1e-15);
    }

    [Fact]
    public void Run_EventIdReappears_ReopensItsEvent()
    {
        // id 1, id 2 (adjacent), id 1 again: two events, the first one reopening.
        var input = new[] { Point("a", 0, true, false, 1), Point("a", 1, true, true, 2), Point("a", 2, true, true, 1) };
        var s = OnlineEvaluation.Run(input);
        Assert.Equal((0, 1), (s[0].ClosedEvents, s[0].OpenEvents));
        Assert.Equal((1, 1, 1), (s[1].ClosedEvents, s[1].OpenEvents, s[1].DetectedEvents));
        Assert.True(s[1].EventClosed);
        Assert.Equal((1, 1, 2), (s[2].ClosedEvents, s[2].OpenEvents, s[2].DetectedEvents));
        Assert.Equal((1, 1), (s[2].DetectedClosedEvents, s[2].DetectedOpenEvents));

        // Event 1 is detected at its third row: delay 2 rows (row 2 − row 0); event 2 at once. Median of {0, 2} = 1.
        Assert.Equal((1.0, 1.0), (s[3].MeanDelayRows, s[3].MedianDelayRows));
        AssertFinalEqualsBatch(s[3], input, new RangeMetricOptions());

        // Without ids the three points are one run, detected one row after onset.
        var runs = OnlineEvaluation.Run(input, new OnlineEvaluationOptions { UseEventIds = false });
        Assert.Equal((1, 1.0), (runs[^1].ClosedEvents, runs[^1].MeanDelayRows));
        AssertFinalEqualsBatch(runs[^1], input, new RangeMetricOptions(), useIds: false);
    }

    [Fact]
    public void Run_EmptyInput_GivesOneZeroFinalSnapshot()
    {
        var s = Assert.Single(OnlineEvaluation.Run([]));
        Assert.True(s.IsFinal);
        Assert.Null(s.Time);
        Assert.Equal(0, s.Observations);
        Assert.Equal(new RangeScores(0, 0, 0, 0), s.RangeScoresFinal);
        Assert.Null(s.FalseAlarmsPerDay);
        AssertFinalEqualsBatch(s, [], new RangeMetricOptions());
    }

    [Theory]
    [MemberData(nameof(ShapesAndSeeds))]
    public void Run_FinalSnapshot_EqualsBatchMetrics(string shape, int seed)
    {
        var input = Generate(Shapes[shape], seed);
        var range = RangeOptions[seed % RangeOptions.Length];
        var snapshots = OnlineEvaluation.Run(input, new OnlineEvaluationOptions { Range = range, EmitEvery = 0 });
        AssertFinalEqualsBatch(Assert.Single(snapshots), input, range);
    }

    [Theory]
    [InlineData("runs", 11)]
    [InlineData("ids-reopen", 12)]
    [InlineData("ids-adjacent", 13)]
    [InlineData("all-anomalies-ids", 14)]
    [InlineData("mixed-modes", 15)]
    public void Run_IdsIgnored_FinalEqualsBatchWithoutIds(string shape, int seed)
    {
        var input = Generate(Shapes[shape], seed);
        foreach (var range in RangeOptions)
        {
            var options = new OnlineEvaluationOptions { Range = range, EmitEvery = 0, UseEventIds = false };
            AssertFinalEqualsBatch(OnlineEvaluation.Run(input, options)[^1], input, range, useIds: false);
        }
    }

    [Theory]
    [InlineData("runs", 21)]
    [InlineData("runs-long-events", 22)]
    [InlineData("ids-reopen", 23)]
    [InlineData("mixed-modes", 24)]
    [InlineData("dense-flags", 25)]
    [InlineData("all-anomalies-ids", 26)]
    public void Run_EverySnapshot_ProvisionalEqualsBatchOnThePrefix(string shape, int seed)
    {
        var input = Generate(Shapes[shape] with { Length = 60 }, seed);
        foreach (var range in RangeOptions)
        {
            var snapshots = OnlineEvaluation.Run(input, new OnlineEvaluationOptions { Range = range });
            Assert.Equal(input.Count + 1, snapshots.Count);
            for (var k = 0; k < input.Count; k++)
            {
                var prefix = input.Take(k + 1).ToList();
                AssertProvisionalEqualsBatch(snapshots[k], prefix, range);
                AssertFinalFiguresEqualBatchOnClosedRanges(snapshots[k], prefix, range);
            }

            AssertFinalEqualsBatch(snapshots[^1], input, range);
        }
    }

    /// <summary>
    /// The closed-only figures, checked independently: removing the open events (unlabelling all their points) does not
    /// change any closed event's recall term, and removing the open flag runs (unflagging them) does not change any closed
    /// run's precision term, so batch metrics on those edited prefixes give the closed-only recall and precision.
    /// </summary>
    private static void AssertFinalFiguresEqualBatchOnClosedRanges(
        EvaluationSnapshot snapshot, List<FlaggedObservation> prefix, RangeMetricOptions range)
    {
        var lastOfSeries = new Dictionary<string, int>();
        for (var i = 0; i < prefix.Count; i++) { lastOfSeries[prefix[i].Observation.Series] = i; }

        var withoutOpenEvents = prefix.ToList();
        var withoutOpenRuns = prefix.ToList();
        foreach (var (series, last) in lastOfSeries)
        {
            var end = prefix[last];
            if (end.Observation.Label.IsAnomaly)
            {
                // The open event: with an id every point of that id; without, the trailing labelled run.
                var id = end.Observation.Label.EventId;
                var inTrailingRun = true;
                for (var i = last; i >= 0; i--)
                {
                    var o = prefix[i].Observation;
                    if (o.Series != series) { continue; }
                    inTrailingRun &= o.Label.IsAnomaly;
                    var member = id is null ? inTrailingRun : o.Label.EventId == id;
                    if (member)
                    {
                        withoutOpenEvents[i] = prefix[i] with { Observation = o with { Label = AnomalyLabel.Normal } };
                    }
                }
            }

            for (var i = last; i >= 0 && end.Flag; i--)
            {
                if (prefix[i].Observation.Series != series) { continue; }
                if (!prefix[i].Flag) { break; }
                withoutOpenRuns[i] = prefix[i] with { Flag = false };
            }
        }

        var closedEvents = SplitPerSeries(withoutOpenEvents);
        var recall = RangeMetrics.Compute(closedEvents.Labels, closedEvents.Ids, closedEvents.Flags, range);
        var events = EventMetrics.Compute(closedEvents.Labels, closedEvents.Ids, closedEvents.Flags, closedEvents.Times);
        var closedRuns = SplitPerSeries(withoutOpenRuns);
        var precision = RangeMetrics.Compute(closedRuns.Labels, closedRuns.Ids, closedRuns.Flags, range);

        Assert.Equal(events.EventCount, snapshot.ClosedEvents);
        Assert.Equal(events.DetectedCount, snapshot.DetectedClosedEvents);
        Assert.Equal(events.Recall, snapshot.EventRecall);
        Assert.Equal(recall.RealRangeCount, snapshot.RangeScoresFinal.RealRangeCount);
        Assert.Equal(recall.Recall, snapshot.RangeScoresFinal.Recall, 1e-12);
        Assert.Equal(precision.PredictedRangeCount, snapshot.RangeScoresFinal.PredictedRangeCount);
        Assert.Equal(precision.Precision, snapshot.RangeScoresFinal.Precision, 1e-12);
    }

    [Fact]
    public void Run_LongEventsWithMiddleBias_FinalEqualsBatch()
    {
        // Ranges long enough for the coverage bitmap to grow past one word and be reused by later runs.
        var input = Generate(new StreamShape(Series: 2, Length: 2000, EventRate: 0.01, MaxEventLength: 400,
            FlagInEvent: 0.3, FlagStay: 0.9, FlagOn: 0.05), seed: 5);
        foreach (var range in RangeOptions)
        {
            var options = new OnlineEvaluationOptions { Range = range, EmitEvery = 0 };
            AssertFinalEqualsBatch(OnlineEvaluation.Run(input, options)[^1], input, range);
        }
    }

    [Fact]
    public void Add_TimestampGoingBack_ThrowsNamingSeriesAndRow_AndLeavesStateUnchanged()
    {
        var evaluator = new OnlineEvaluator();
        evaluator.Add(Point("a", 5, true, true));
        evaluator.Add(Point("b", 0, false, false));
        var before = evaluator.Snapshot();
        var e = Assert.Throws<ArgumentException>(() => evaluator.Add(Point("a", 4, false, true)));
        Assert.Contains("Series 'a', row 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("timestamp", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, evaluator.Snapshot());

        // Equal timestamps are fine; the evaluator carries on as if the bad input never came.
        evaluator.Add(Point("a", 5, false, false));
        var expected = new[] { Point("a", 5, true, true), Point("b", 0, false, false), Point("a", 5, false, false) };
        AssertFinalEqualsBatch(evaluator.Complete(), expected, new RangeMetricOptions());
    }

    [Fact]
    public void Add_InconsistentEventIds_ThrowNamingSeriesAndRow()
    {
        var strayId = new OnlineEvaluator();
        strayId.Add(Point("a", 0, false, false));
        var normalWithId = new FlaggedObservation(
            new LabeledObservation("a", T0.AddMinutes(1), 1, new AnomalyLabel(false, null, 7)), 0, false);
        var e1 = Assert.Throws<ArgumentException>(() => strayId.Add(normalWithId));
        Assert.Contains("Series 'a', row 1: event id 7", e1.Message, StringComparison.Ordinal);

        var missingId = new OnlineEvaluator();
        missingId.Add(Point("a", 0, true, false, 3));
        var e2 = Assert.Throws<ArgumentException>(() => missingId.Add(Point("a", 1, true, false)));
        Assert.Contains("Series 'a', row 1: a labelled point has no event id", e2.Message, StringComparison.Ordinal);

        var unexpectedId = new OnlineEvaluator();
        unexpectedId.Add(Point("a", 0, true, false));
        var e3 = Assert.Throws<ArgumentException>(() => unexpectedId.Add(Point("a", 1, true, false, 3)));
        Assert.Contains("Series 'a', row 1: a labelled point has event id 3", e3.Message, StringComparison.Ordinal);

        // Another series may use the other convention; with ids ignored nothing is checked.
        unexpectedId.Add(Point("b", 0, true, false, 3));
        var ignoring = new OnlineEvaluator(new OnlineEvaluationOptions { UseEventIds = false });
        ignoring.Add(Point("a", 0, true, false, 3));
        ignoring.Add(Point("a", 1, true, false));
        ignoring.Add(normalWithId);
        Assert.Equal(1, ignoring.Complete().ClosedEvents);

        var nullSeries = new OnlineEvaluator();
        var e4 = Assert.Throws<ArgumentException>(() => nullSeries.Add(default));
        Assert.Contains("series id is null", e4.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_Twice_OrAddAfterComplete_Throws()
    {
        var evaluator = new OnlineEvaluator();
        evaluator.Add(Point("a", 0, true, true));
        var final = evaluator.Complete();
        Assert.True(evaluator.IsCompleted);
        Assert.Equal(final, evaluator.Snapshot());
        Assert.Throws<InvalidOperationException>(() => evaluator.Complete());
        Assert.Throws<InvalidOperationException>(() => evaluator.Add(Point("a", 1, false, false)));
    }

    [Fact]
    public void Run_EmitEvery_AndOnEventClose_ChooseTheSnapshots()
    {
        var input = Generate(Shapes["ids-reopen"], seed: 3);
        var all = OnlineEvaluation.Run(input);

        var everyFive = OnlineEvaluation.Run(input, new OnlineEvaluationOptions { EmitEvery = 5 });
        Assert.Equal(all.Where(s => s.IsFinal || s.Observations % 5 == 0), everyFive);

        var onClose = OnlineEvaluation.Run(input, new OnlineEvaluationOptions { EmitEvery = 0, EmitOnEventClose = true });
        Assert.Equal(all.Where(s => s.EventClosed), onClose);
        Assert.True(onClose.Count > 3);

        var both = OnlineEvaluation.Run(input, new OnlineEvaluationOptions { EmitEvery = 7, EmitOnEventClose = true });
        Assert.Equal(all.Where(s => s.IsFinal || s.EventClosed || s.Observations % 7 == 0), both);
    }

    [Fact]
    public void Run_SameInput_GivesIdenticalSnapshots()
    {
        var input = Generate(Shapes["mixed-modes"], seed: 9);
        var options = new OnlineEvaluationOptions { Range = RangeOptions[5] };
        Assert.Equal(OnlineEvaluation.Run(input, options), OnlineEvaluation.Run(input, options));
    }
}
