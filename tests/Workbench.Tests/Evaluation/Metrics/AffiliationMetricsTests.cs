using Workbench.Evaluation.Metrics;
using static Workbench.Tests.Evaluation.Metrics.MetricsTestKit;

namespace Workbench.Tests.Evaluation.Metrics;

public class AffiliationMetricsTests
{
    [Fact]
    public void Compute_OneEventOneNearbyFlag_HandComputed()
    {
        // n = 10, J = [4, 5), zone E = [0, 10], prediction [6, 7).
        // Precision: x ∈ [6, 7], d = x − 5 ∈ [1, 2], m = min(4, 5) = 4: F̄(d) = 1 − (1 + 2d)/10 → ∫₁² = 1 − 4/10 = 0.6.
        // Recall: y ∈ [4, 5], d = 6 − y, window [2y − 6, 6] inside E: F̄ = 1 − (12 − 2y)/10 → ∫₄⁵ = 0.7.
        var r = AffiliationMetrics.Compute(B("0000100000"), B("0000001000"));

        Assert.Equal(0.6, r.Precision, 14);
        Assert.Equal(0.7, r.Recall, 14);
        Assert.Equal(1, r.ZoneCount);
        Assert.Equal(1, r.ZonesWithPrediction);
        Assert.Equal(2 * 0.6 * 0.7 / 1.3, r.F1, 14);
    }

    [Fact]
    public void Compute_PaperExample_MatchesPublishedZoneProbabilities()
    {
        // Huet et al. (KDD 2022) example, one point per second over 3 hours: events [0, 10), [50, 70), [170, 175) minutes;
        // predictions [5, 6), [7, 10), [11, 12), [40, 60), [115, 130), [135, 140), [165, 170) minutes.
        // The reference's tests give the second zone precision 0.672222222 and recall 0.944444444.
        var labels = new bool[180 * 60];
        var flags = new bool[180 * 60];
        Fill(labels, (0, 10), (50, 70), (170, 175));
        Fill(flags, (5, 6), (7, 10), (11, 12), (40, 60), (115, 130), (135, 140), (165, 170));

        var r = AffiliationMetrics.Compute(labels, flags);

        Assert.Equal(3, r.ZoneCount);
        Assert.Equal(0.672222222, r.Zones[1].Precision, 9);
        Assert.Equal(0.944444444, r.Zones[1].Recall, 9);
        Assert.Equal(1800, r.Zones[1].ZoneStart);
        Assert.Equal(7200, r.Zones[1].ZoneEnd);

        // By hand: zone 2 = [1800, 7200]; precision (400 + 600 + 8⅓)/1500, recall (600 + 533⅓)/1200.
        Assert.Equal((400 + 600 + (25.0 / 3)) / 1500, r.Zones[1].Precision, 12);
        Assert.Equal((600 + (1600.0 / 3)) / 1200, r.Zones[1].Recall, 12);
        Assert.Equal(r.Zones.Average(z => z.Precision), r.Precision, 12); // summed in ascending order: the last bits may differ
        Assert.Equal(r.Zones.Average(z => z.Recall), r.Recall, 12);
    }

    [Fact]
    public void Compute_PerfectFlags_AreOne()
    {
        var labels = B("0011000111100001");
        var r = AffiliationMetrics.Compute(labels, labels);

        Assert.Equal(1.0, r.Precision, 15);
        Assert.Equal(1.0, r.Recall, 15);
    }

    [Fact]
    public void Compute_NoFlags_PrecisionUndefinedRecallZero()
    {
        var r = AffiliationMetrics.Compute(B("0011000100"), B("0000000000"));

        Assert.True(double.IsNaN(r.Precision));
        Assert.Equal(0, r.Recall);
        Assert.Equal(0, r.ZonesWithPrediction);
        Assert.True(double.IsNaN(r.F1));
    }

    [Fact]
    public void Compute_NoEvents_BothUndefined()
    {
        var r = AffiliationMetrics.Compute(B("0000"), B("0110"));

        Assert.True(double.IsNaN(r.Precision));
        Assert.True(double.IsNaN(r.Recall));
        Assert.Equal(0, r.ZoneCount);
    }

    [Fact]
    public void Compute_ZoneWithoutPrediction_CountsInRecallOnly()
    {
        // Two events; only the first zone holds a flag (on the event): precision = that zone's 1, recall = (1 + 0)/2.
        var r = AffiliationMetrics.Compute(B("1100000011"), B("1100000000"));

        Assert.Equal(1.0, r.Precision, 15);
        Assert.Equal(0.5, r.Recall, 15);
        Assert.Equal(2, r.ZoneCount);
        Assert.Equal(1, r.ZonesWithPrediction);
    }

    [Fact]
    public void Compute_SeveralSeries_PoolZones()
    {
        bool[] l0 = B("0000100000"), f0 = B("0000001000");
        bool[] l1 = B("0110000000"), f1 = B("0000000000");
        bool[] l2 = B("0000000000"), f2 = B("1111111111"); // no event: its flags fall in no zone

        var pooled = AffiliationMetrics.Compute([l0, l1, l2], [f0, f1, f2]);

        Assert.Equal(0.6, pooled.Precision, 14);             // only zone 0 has a prediction
        Assert.Equal((0.7 + 0) / 2, pooled.Recall, 14);      // both zones count in recall
        Assert.Equal([0, 1], pooled.Zones.Select(z => z.Series));
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    [InlineData(24)]
    [InlineData(25)]
    public void Compute_RandomRuns_MatchLiteralDefinition(int seed)
    {
        var random = new Random(seed);
        var labels = new List<bool[]>();
        var flags = new List<bool[]>();
        for (var s = 0; s < 3; s++)
        {
            var n = random.Next(30, 120);
            labels.Add(VusMetricsTests.RandomRuns(random, n, 0.05));
            flags.Add(VusMetricsTests.RandomRuns(random, n, 0.08));
        }

        var r = AffiliationMetrics.Compute(labels, flags);
        var (precisions, recalls) = Literal(labels, flags);

        Assert.Equal(recalls.Count, r.ZoneCount);
        for (var z = 0; z < recalls.Count; z++)
        {
            if (double.IsNaN(precisions[z])) { Assert.True(double.IsNaN(r.Zones[z].Precision)); } else { Assert.Equal(precisions[z], r.Zones[z].Precision, 11); }
            Assert.Equal(recalls[z], r.Zones[z].Recall, 11);
        }

        var defined = precisions.Where(p => !double.IsNaN(p)).ToList();
        Assert.Equal(defined.Count == 0 ? double.NaN : defined.Average(), r.Precision, 11);
        Assert.Equal(recalls.Count == 0 ? double.NaN : recalls.Average(), r.Recall, 11);
    }

    [Fact]
    public void Compute_LengthMismatch_NamesSeries()
    {
        var e = Assert.Throws<ArgumentException>(() => AffiliationMetrics.Compute([B("01"), B("10")], [B("01"), B("1")]));
        Assert.Contains("Series 1", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => AffiliationMetrics.Compute([B("01")], [B("01"), B("1")]));
    }

    private static void Fill(bool[] target, params (int FromMinute, int ToMinute)[] ranges)
    {
        foreach (var (from, to) in ranges)
        {
            for (var i = from * 60; i < to * 60; i++) { target[i] = true; }
        }
    }

    /// <summary>
    /// The paper's definitions evaluated literally by the midpoint rule on a grid of step 1/8 (exact here: every kink of
    /// the integrands lies on a multiple of 1/4). For each grid point: its zone by brute-force nearest event, the distance
    /// to the event or to the nearest predicted point of the zone, and the survival probability measured directly on the zone.
    /// </summary>
    private static (List<double> Precision, List<double> Recall) Literal(List<bool[]> labels, List<bool[]> flags)
    {
        const int Steps = 8;
        var precisions = new List<double>();
        var recalls = new List<double>();
        for (var s = 0; s < labels.Count; s++)
        {
            var n = labels[s].Length;
            var events = Intervals(labels[s]);
            var preds = Intervals(flags[s]);
            for (var k = 0; k < events.Count; k++)
            {
                var (js, je) = events[k];
                // E_k: the points of [0, n] not closer to another event.
                var lo = k == 0 ? 0.0 : (events[k - 1].E + js) / 2.0;
                var hi = k == events.Count - 1 ? n : (je + events[k + 1].S) / 2.0;
                var zonePreds = preds.Select(p => (S: Math.Max(p.S, lo), E: Math.Min(p.E, hi))).Where(p => p.E > p.S).ToList();

                double sum = 0;
                var count = 0;
                for (var i = 0; i < n * Steps; i++)
                {
                    var x = (i + 0.5) / Steps;
                    if (!flags[s][(int)Math.Floor(x)]) { continue; }
                    var nearest = Enumerable.Range(0, events.Count).MinBy(e => Distance(x, events[e].S, events[e].E));
                    if (nearest != k) { continue; }
                    var d = Distance(x, js, je);
                    sum += d == 0 ? 1 : (Math.Max(0, js - d - lo) + Math.Max(0, hi - je - d)) / (hi - lo);
                    count++;
                }

                precisions.Add(count == 0 ? double.NaN : sum / count);

                if (zonePreds.Count == 0)
                {
                    recalls.Add(0);
                    continue;
                }

                double recallSum = 0;
                var points = 0;
                for (var i = js * Steps; i < je * Steps; i++)
                {
                    var y = (i + 0.5) / Steps;
                    var d = zonePreds.Min(p => Distance(y, p.S, p.E));
                    var window = Math.Min(y + d, hi) - Math.Max(y - d, lo);
                    recallSum += 1 - (window / (hi - lo));
                    points++;
                }

                recalls.Add(recallSum / points);
            }
        }

        return (precisions, recalls);
    }

    private static double Distance(double x, double start, double end) => x < start ? start - x : x > end ? x - end : 0;

    private static List<(int S, int E)> Intervals(bool[] values)
    {
        var result = new List<(int, int)>();
        for (var i = 0; i < values.Length; i++)
        {
            if (!values[i]) { continue; }
            var s = i;
            while (i < values.Length && values[i]) { i++; }
            result.Add((s, i));
        }

        return result;
    }
}
