using Workbench.Core;
using Workbench.Evaluation.Metrics;
using Workbench.Evaluation.Online;
using Workbench.Operators.Detection;

namespace Workbench.Tests.Evaluation.Online;

/// <summary>How a random flagged stream is generated (see <see cref="OnlineEvaluationTestData.Generate"/>).</summary>
internal sealed record StreamShape(
    int Series = 3,
    int Length = 120,
    bool Ids = false,
    bool MixedModes = false,
    double EventRate = 0.06,
    int MaxEventLength = 8,
    double ReopenRate = 0,
    double AdjacentRate = 0.3,
    double FlagOn = 0.08,
    double FlagStay = 0.6,
    double FlagInEvent = 0.35,
    bool NoAnomalies = false,
    bool AllAnomalies = false,
    bool NoFlags = false,
    bool AllFlags = false);

/// <summary>Seeded random flagged streams and the batch metrics of the same data split per series.</summary>
internal static class OnlineEvaluationTestData
{
    public static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Named shapes covering the edge cases the final-equals-batch tests must hold on.</summary>
    public static readonly IReadOnlyDictionary<string, StreamShape> Shapes = new Dictionary<string, StreamShape>
    {
        ["runs"] = new(),
        ["runs-long-events"] = new(Series: 2, Length: 200, EventRate: 0.05, MaxEventLength: 30, FlagInEvent: 0.5, FlagStay: 0.8),
        ["ids-adjacent"] = new(Ids: true, AdjacentRate: 0.6),
        ["ids-reopen"] = new(Ids: true, ReopenRate: 0.35, AdjacentRate: 0.5, EventRate: 0.1),
        ["mixed-modes"] = new(Series: 4, MixedModes: true, ReopenRate: 0.3),
        ["single-series"] = new(Series: 1, Length: 300),
        ["many-series-short"] = new(Series: 12, Length: 15, EventRate: 0.15),
        ["no-anomalies"] = new(NoAnomalies: true),
        ["all-anomalies-runs"] = new(AllAnomalies: true),
        ["all-anomalies-ids"] = new(AllAnomalies: true, Ids: true, ReopenRate: 0.3),
        ["no-flags"] = new(NoFlags: true, Ids: true),
        ["all-flags"] = new(AllFlags: true),
        ["dense-flags"] = new(FlagOn: 0.5, FlagStay: 0.5, FlagInEvent: 0.5, Ids: true, ReopenRate: 0.2),
    };

    /// <summary>Range options cycled through by the property tests (every bias, both cardinalities, α in {0, 0.3, 1}).</summary>
    public static readonly RangeMetricOptions[] RangeOptions =
    [
        new(),
        RangeMetricOptions.Classic,
        new() { Bias = RangeBias.Front, Alpha = 0.3 },
        new() { Bias = RangeBias.Back, PrecisionBias = RangeBias.Middle, Cardinality = RangeCardinality.One },
        new() { Bias = RangeBias.Middle, Alpha = 1 },
        new() { Bias = RangeBias.Middle, PrecisionBias = RangeBias.Front, Alpha = 0.5 },
    ];

    /// <summary>
    /// A random multi-series stream: per series, events (runs of labelled points, with ids: adjacent events with different
    /// ids, ids that reappear later), an event at the start and at the end half of the time, flags from a two-state chain,
    /// non-decreasing timestamps (ties included); series interleaved at random, each in its own order.
    /// </summary>
    public static List<FlaggedObservation> Generate(StreamShape shape, int seed)
    {
        var rng = new Random(seed);
        var perSeries = new List<List<FlaggedObservation>>();
        for (var s = 0; s < shape.Series; s++)
        {
            var n = shape.Length;
            var useIds = shape.Ids || (shape.MixedModes && s % 2 == 0);
            var labels = new bool[n];
            var ids = new int?[n];
            var usedIds = new List<int>();
            var nextId = 1 + (s * 100);
            void Fill(int from, int length)
            {
                var id = useIds && usedIds.Count > 0 && rng.NextDouble() < shape.ReopenRate
                    ? usedIds[rng.Next(usedIds.Count)]
                    : nextId++;
                if (!usedIds.Contains(id)) { usedIds.Add(id); }
                for (var k = from; k < Math.Min(n, from + length); k++)
                {
                    labels[k] = true;
                    ids[k] = useIds ? id : null;
                }
            }

            if (shape.AllAnomalies)
            {
                for (var i = 0; i < n;)
                {
                    var len = 1 + rng.Next(shape.MaxEventLength);
                    Fill(i, len);
                    i += len;
                }
            }
            else if (!shape.NoAnomalies)
            {
                var i = 0;
                if (rng.NextDouble() < 0.5)
                {
                    var len = 1 + rng.Next(shape.MaxEventLength);
                    Fill(0, len);
                    i = len;
                }

                while (i < n)
                {
                    if (rng.NextDouble() < shape.EventRate)
                    {
                        // An event, possibly followed at once by another (adjacent: with ids they stay two events).
                        do
                        {
                            var len = 1 + rng.Next(shape.MaxEventLength);
                            Fill(i, len);
                            i += len;
                        }
                        while (i < n && rng.NextDouble() < shape.AdjacentRate);
                    }

                    i++;
                }

                if (rng.NextDouble() < 0.5)
                {
                    var len = 1 + rng.Next(shape.MaxEventLength);
                    Fill(Math.Max(0, n - len), len);
                }
            }

            var series = new List<FlaggedObservation>(n);
            var t = T0.AddSeconds(s);
            var flag = false;
            for (var i = 0; i < n; i++)
            {
                var p = flag ? shape.FlagStay : labels[i] ? shape.FlagInEvent : shape.FlagOn;
                flag = shape.AllFlags || (!shape.NoFlags && rng.NextDouble() < p);
                var label = labels[i] ? new AnomalyLabel(true, AnomalyKind.Spike, ids[i]) : AnomalyLabel.Normal;
                series.Add(new FlaggedObservation(new LabeledObservation($"s{s}", t, rng.NextDouble(), label), flag ? 1 : 0, flag));
                t = t.AddMinutes(rng.Next(3));
            }

            perSeries.Add(series);
        }

        var merged = new List<FlaggedObservation>();
        var next = new int[perSeries.Count];
        var open = Enumerable.Range(0, perSeries.Count).Where(k => perSeries[k].Count > 0).ToList();
        while (open.Count > 0)
        {
            var k = open[rng.Next(open.Count)];
            merged.Add(perSeries[k][next[k]++]);
            if (next[k] == perSeries[k].Count) { open.Remove(k); }
        }

        return merged;
    }

    /// <summary>The input split per series (order of first appearance), as the batch metric functions take it.</summary>
    internal sealed record Split(bool[][] Labels, int?[][]? Ids, bool[][] Flags, DateTime[][] Times);

    /// <summary>
    /// Splits per series. Event ids: null when <paramref name="useIds"/> is false or no labelled point has one; otherwise
    /// every series gets ids, a series whose labelled points carry none getting one per maximal labelled run (what the
    /// online evaluator does per series).
    /// </summary>
    public static Split SplitPerSeries(IReadOnlyList<FlaggedObservation> input, bool useIds = true)
    {
        var groups = input.GroupBy(f => f.Observation.Series).ToList();
        var labels = groups.Select(g => g.Select(f => f.Observation.Label.IsAnomaly).ToArray()).ToArray();
        var flags = groups.Select(g => g.Select(f => f.Flag).ToArray()).ToArray();
        var times = groups.Select(g => g.Select(f => f.Observation.Timestamp).ToArray()).ToArray();
        int?[][]? ids = null;
        if (useIds && input.Any(f => f.Observation.Label.EventId.HasValue))
        {
            ids = groups.Select(g =>
            {
                var raw = g.Select(f => f.Observation.Label.EventId).ToArray();
                if (raw.Any(v => v.HasValue)) { return raw; }
                var l = g.Select(f => f.Observation.Label.IsAnomaly).ToArray();
                var synth = new int?[l.Length];
                var run = 0;
                for (var i = 0; i < l.Length; i++)
                {
                    if (l[i]) { synth[i] = (i > 0 && l[i - 1]) ? run : ++run; }
                }

                return synth;
            }).ToArray();
        }

        return new Split(labels, ids, flags, times);
    }

    /// <summary>
    /// Asserts that the snapshot's cumulative and provisional figures equal the batch metrics on <paramref name="input"/>
    /// (point and event figures exactly, range means to 1e-12).
    /// </summary>
    public static void AssertProvisionalEqualsBatch(
        EvaluationSnapshot snapshot, IReadOnlyList<FlaggedObservation> input, RangeMetricOptions range, bool useIds = true)
    {
        var d = SplitPerSeries(input, useIds);
        var points = PointMetrics.Compute(d.Labels, d.Flags);
        var events = EventMetrics.Compute(d.Labels, d.Ids, d.Flags, d.Times);
        var ranges = RangeMetrics.Compute(d.Labels, d.Ids, d.Flags, range);

        Assert.Equal(input.Count, snapshot.Observations);
        Assert.Equal(points, snapshot.Points);
        Assert.Equal(points.Precision, snapshot.PointPrecision);
        Assert.Equal(points.Recall, snapshot.PointRecall);
        Assert.Equal(points.F1, snapshot.PointF1);

        Assert.Equal(events.EventCount, snapshot.Events);
        Assert.Equal(events.DetectedCount, snapshot.DetectedEvents);
        Assert.Equal(events.Recall, snapshot.ProvisionalEventRecall);
        Assert.Equal(events.NormalPointCount, snapshot.NormalPoints);
        Assert.Equal(events.FalseAlarmCount, snapshot.FalseAlarms);
        Assert.Equal(events.FalseAlarmsPer1000Normal, snapshot.FalseAlarmsPer1000Normal);
        Assert.Equal(events.ObservedDuration, snapshot.ObservedDuration);
        Assert.Equal(events.FalseAlarmsPerDay, snapshot.FalseAlarmsPerDay);
        Assert.Equal(events.MeanDelayRows, snapshot.MeanDelayRows);
        Assert.Equal(events.MedianDelayRows, snapshot.MedianDelayRows);
        Assert.Equal(events.MeanDelay, snapshot.MeanDelay);
        Assert.Equal(events.MedianDelay, snapshot.MedianDelay);

        AssertRange(ranges, snapshot.RangeScoresProvisional);
    }

    /// <summary>Asserts the final snapshot equals the batch metrics and that nothing is left open.</summary>
    public static void AssertFinalEqualsBatch(
        EvaluationSnapshot final, IReadOnlyList<FlaggedObservation> input, RangeMetricOptions range, bool useIds = true)
    {
        Assert.True(final.IsFinal);
        Assert.Null(final.Trigger);
        Assert.Equal(0, final.OpenEvents);
        Assert.Equal(0, final.DetectedOpenEvents);
        Assert.Equal(final.Events, final.ClosedEvents);
        Assert.Equal(final.ProvisionalEventRecall, final.EventRecall);
        Assert.Equal(final.RangeScoresProvisional, final.RangeScoresFinal);
        Assert.Equal(input.Count == 0 ? null : input.Max(f => f.Observation.Timestamp), final.Time);
        AssertProvisionalEqualsBatch(final, input, range, useIds);
    }

    public static void AssertRange(RangeScores expected, RangeScores actual)
    {
        Assert.Equal(expected.RealRangeCount, actual.RealRangeCount);
        Assert.Equal(expected.PredictedRangeCount, actual.PredictedRangeCount);
        Assert.Equal(expected.Precision, actual.Precision, 1e-12);
        Assert.Equal(expected.Recall, actual.Recall, 1e-12);
        Assert.Equal(expected.F1, actual.F1, 1e-12);
    }
}
