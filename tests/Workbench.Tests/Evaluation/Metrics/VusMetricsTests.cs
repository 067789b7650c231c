using Workbench.Evaluation.Metrics;
using static Workbench.Tests.Evaluation.Metrics.MetricsTestKit;

namespace Workbench.Tests.Evaluation.Metrics;

public class VusMetricsTests
{
    private static double?[] S(params double[] values) => values.Select(v => (double?)v).ToArray();

    private static VusOptions Buffer(int l, int? thresholds = null) => new() { MaxBuffer = l, ThresholdCount = thresholds };

    [Fact]
    public void Compute_BinaryPerfectScore_HandComputedWithRamps()
    {
        // One event at row 3 of 7, score = label, L = 2. ℓ = 0 and ℓ = 1 add no ramp: ROC 1, PR 1.
        // ℓ = 2: h = 1, rows 2 and 4 get √(1 − 1/2). Σ = 1 + 2r, P' = (1 + Σ)/2, n − P' = 7 − P'.
        // θ = 1: TP 1, TPR 1/P', FPR 0, precision 1. θ = 0: TP Σ, TPR 1, FPR (7 − Σ)/(7 − P'), precision Σ/7. Then (1, 1).
        var r = Math.Sqrt(0.5);
        var sum = 1 + (2 * r);
        var pNew = (1 + sum) / 2;
        var tpr1 = 1 / pNew;
        var fpr2 = (7 - sum) / (7 - pNew);
        var roc2 = (fpr2 * (tpr1 + 1) / 2) + (1 - fpr2);
        var pr2 = (tpr1 * (1 + 1) / 2) + ((1 - tpr1) * (1 + (sum / 7)) / 2);

        var v = VusMetrics.Compute(B("0001000"), S(0, 0, 0, 1, 0, 0, 0), Buffer(2));

        Assert.Equal(2, v.MaxBuffer);
        Assert.Equal([1.0, 1.0, roc2], v.RocByBuffer.ToArray(), new Tolerance(1e-15));
        Assert.Equal([1.0, 1.0, pr2], v.PrByBuffer.ToArray(), new Tolerance(1e-15));
        Assert.Equal((2 + roc2) / 3, v.Roc, 15);
        Assert.Equal((2 + pr2) / 3, v.Pr, 15);
        Assert.True(roc2 < 1); // the reference's P' = (P + Σ)/2 keeps even a perfect binary score below 1 once ramps exist
    }

    [Fact]
    public void Compute_TwoEventsExistence_HandComputed()
    {
        // Events [1] and [4-5] of 8 rows, ℓ = 0 only. Scores rank row 1 first, then a normal row 7, then row 4, then the rest (0).
        // θ = .9: TP 1 (row 1), recall 1/3, existence 1/2 → TPR 1/6, FPR 0, prec 1.
        // θ = .8: flagged {1, 7}: TPR 1/6, FPR 1/5, prec 1/2.
        // θ = .7: flagged {1, 7, 4}: recall 2/3, existence 1 → TPR 2/3, FPR 1/5, prec 2/3.
        // θ = 0: all: TPR 1, FPR 1, prec 3/8. Then (1, 1) adds nothing.
        var v = VusMetrics.Compute(B("01001100"), S(0, 0.9, 0, 0, 0.7, 0, 0, 0.8), Buffer(0));

        var roc = (0.2 * (1.0 / 6 + 1.0 / 6) / 2) + (0.8 * (2.0 / 3 + 1) / 2);
        var pr = ((1.0 / 6) * (1 + 1) / 2) + 0 + ((2.0 / 3 - 1.0 / 6) * (0.5 + 2.0 / 3) / 2) + ((1.0 / 3) * (2.0 / 3 + 3.0 / 8) / 2);
        Assert.Equal(roc, v.Roc, 15);
        Assert.Equal(pr, v.Pr, 15);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Compute_SingleEventNoBuffer_EqualsRocAuc(int seed)
    {
        // With one event and ℓ = 0, TPR is plain recall and FPR plain FPR: the curve is the ROC curve (ties grouped).
        var random = new Random(seed);
        var labels = new bool[200];
        var start = random.Next(0, 180);
        for (var i = start; i < start + random.Next(1, 20); i++) { labels[i] = true; }
        var scores = new double?[200];
        for (var i = 0; i < 200; i++) { scores[i] = random.Next(0, 3) == 0 ? null : Math.Round(random.NextDouble() + (labels[i] ? 0.3 : 0), 1); }

        var v = VusMetrics.Compute(labels, scores, Buffer(0));

        Assert.Equal(RankingMetrics.RocAuc(labels, scores), v.Roc, 12);
    }

    [Fact]
    public void Compute_PerfectRankingNoBuffer_IsOne()
    {
        bool[] labels = B("1100011100000110");
        var scores = labels.Select((l, i) => (double?)(l ? 10 + i : i * 0.1)).ToArray();

        var v = VusMetrics.Compute(labels, scores, Buffer(1));

        Assert.Equal(1.0, v.Roc, 15);
        Assert.Equal(1.0, v.Pr, 15);
    }

    [Fact]
    public void Compute_ConstantScore_HalfRocAndPrevalenceBiasedPr()
    {
        // One threshold flags everything: curve (0,0) → (1,1): ROC 0.5; PR = (1 + P/n)/2 from the precision-1 anchor.
        var v = VusMetrics.Compute(B("0011000100"), S(3, 3, 3, 3, 3, 3, 3, 3, 3, 3), Buffer(0));

        Assert.Equal(0.5, v.Roc, 15);
        Assert.Equal((1 + 0.3) / 2, v.Pr, 15);

        // With ramps the constant score rises above 0.5 (FPR at "all flagged" drops below 1): a known bias of the reference.
        var buffered = VusMetrics.Compute(B("0011000100"), S(3, 3, 3, 3, 3, 3, 3, 3, 3, 3), Buffer(4));
        Assert.True(buffered.Roc > 0.5);
    }

    [Fact]
    public void Compute_NoAnomaly_RocUndefinedPrZero()
    {
        var v = VusMetrics.Compute(B("0000"), S(1, 2, 3, 4));

        Assert.True(double.IsNaN(v.Roc));
        Assert.Equal(0, v.Pr);
        Assert.Equal(0, v.MaxBuffer);
        Assert.Empty(v.RocByBuffer);
    }

    [Fact]
    public void Compute_AllAnomalous_RocUndefinedPrOne()
    {
        var v = VusMetrics.Compute(B("1111"), S(1, 2, 3, 4), Buffer(3));

        Assert.True(double.IsNaN(v.Roc));
        Assert.Equal(1.0, v.Pr, 15);
    }

    [Fact]
    public void Compute_Empty_RocUndefinedPrZero()
    {
        var v = VusMetrics.Compute(Array.Empty<bool[]>(), Array.Empty<double?[]>());

        Assert.True(double.IsNaN(v.Roc));
        Assert.Equal(0, v.Pr);
    }

    [Fact]
    public void Compute_DefaultMaxBuffer_IsMedianEventLengthRoundedDown()
    {
        // Event lengths 2, 3, 6, 1 → numpy median 2.5 → 2.
        var labels = B("1100111001111110100");
        var scores = S(labels.Select((_, i) => (double)i).ToArray());

        var v = VusMetrics.Compute(labels, scores);

        Assert.Equal(2, v.MaxBuffer);
        Assert.Equal(VusMetrics.Compute(labels, scores, Buffer(2, VusOptions.ReferenceThresholdCount)), v, new VusComparer());
    }

    [Fact]
    public void Compute_NullScore_RanksAsLowest()
    {
        var labels = B("0010110001");
        double?[] withNull = [0.2, null, 0.9, 0.1, 0.5, null, 0.3, null, 0.1, 0.8];
        double?[] withInfinity = withNull.Select(s => (double?)(s ?? double.NegativeInfinity)).ToArray();

        Assert.Equal(
            VusMetrics.Compute(labels, withInfinity, Buffer(4)),
            VusMetrics.Compute(labels, withNull, Buffer(4)),
            new VusComparer());
    }

    [Fact]
    public void Compute_EventsAtBothEnds_MatchLiteral()
    {
        var labels = B("1100000000111");
        var scores = S(0.9, 0.1, 0.8, 0.3, 0.2, 0.2, 0.1, 0.3, 0.5, 0.6, 0.7, 0.1, 0.95);
        var v = VusMetrics.Compute(labels, scores, Buffer(6));
        var (roc, pr) = Literal([labels], [scores], 6, null);

        Assert.Equal(roc, v.Roc, 12);
        Assert.Equal(pr, v.Pr, 12);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    public void Compute_RandomSeries_MatchLiteralTranscriptionOfReference(int seed)
    {
        var random = new Random(seed);
        var labels = new List<bool[]>();
        var scores = new List<double?[]>();
        for (var s = 0; s < 3; s++)
        {
            var length = random.Next(20, 150);
            labels.Add(RandomRuns(random, length, 0.06));
            scores.Add(RandomScores(random, labels[s]));
        }

        foreach (var maxBuffer in new[] { 0, 1, 5, 12 })
        {
            foreach (int? thresholds in new int?[] { null, 250, 7 })
            {
                var v = VusMetrics.Compute(labels, scores, Buffer(maxBuffer, thresholds));
                var (roc, pr) = Literal(labels, scores, maxBuffer, thresholds);
                Assert.Equal(roc, v.Roc, 12);
                Assert.Equal(pr, v.Pr, 12);

                // Single series: the overload agrees with the literal reference on that series alone.
                var one = VusMetrics.Compute(labels[0], scores[0], Buffer(maxBuffer, thresholds));
                var (roc0, pr0) = Literal([labels[0]], [scores[0]], maxBuffer, thresholds);
                if (double.IsNaN(roc0)) { Assert.True(double.IsNaN(one.Roc)); } else { Assert.Equal(roc0, one.Roc, 12); }
                Assert.Equal(pr0, one.Pr, 12);
            }
        }
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    [InlineData(24)]
    [InlineData(25)]
    public void Compute_TsbAd2024_MatchesLiteralTranscriptionOfRevisedReference(int seed)
    {
        var random = new Random(seed);
        var labels = new List<bool[]>();
        var scores = new List<double?[]>();
        for (var s = 0; s < 3; s++)
        {
            var length = random.Next(20, 150);
            labels.Add(RandomRuns(random, length, 0.06));
            scores.Add(RandomScores(random, labels[s]));
        }

        var differs = false;
        foreach (var maxBuffer in new[] { 0, 1, 5, 12 })
        {
            foreach (int? thresholds in new int?[] { null, 250, 7 })
            {
                var options = new VusOptions { MaxBuffer = maxBuffer, ThresholdCount = thresholds, Definition = VusDefinition.TsbAd2024 };
                var v = VusMetrics.Compute(labels, scores, options);
                var (roc, pr) = Literal(labels, scores, maxBuffer, thresholds, revised: true);
                Assert.Equal(roc, v.Roc, 12);
                Assert.Equal(pr, v.Pr, 12);

                var one = VusMetrics.Compute(labels[0], scores[0], options);
                var (roc0, pr0) = Literal([labels[0]], [scores[0]], maxBuffer, thresholds, revised: true);
                if (double.IsNaN(roc0)) { Assert.True(double.IsNaN(one.Roc)); } else { Assert.Equal(roc0, one.Roc, 12); }
                Assert.Equal(pr0, one.Pr, 12);

                var old = VusMetrics.Compute(labels, scores, options with { Definition = VusDefinition.Vldb2022 });
                differs |= Math.Abs(old.Pr - v.Pr) > 1e-9 || Math.Abs(old.Roc - v.Roc) > 1e-9;
            }
        }

        Assert.True(differs, "the two definitions gave the same values everywhere: the option would change nothing");
    }

    [Fact]
    public void Compute_TsbAd2024_ConstantScoreGetsPrevalenceNotTheTrapezoidLift()
    {
        // One event of 3 points in 30, constant score, L = 0: one threshold flags everything. 2022 PR = ΔTPR·(1 + 0.1)/2
        // = 0.55; the 2024 step sum = ΔTPR·precision = 0.1, the prevalence (as average precision).
        var labels = new bool[30];
        labels[10] = labels[11] = labels[12] = true;
        var scores = Enumerable.Repeat((double?)0.5, 30).ToArray();
        var old = VusMetrics.Compute(labels, scores, new VusOptions { MaxBuffer = 0 });
        var revised = VusMetrics.Compute(labels, scores, new VusOptions { MaxBuffer = 0, Definition = VusDefinition.TsbAd2024 });
        Assert.Equal(0.55, old.Pr, 12);
        Assert.Equal(0.1, revised.Pr, 12);
        Assert.Equal(0.5, revised.Roc, 12);
    }

    [Fact]
    public void Compute_SampledThresholds_DifferFromExactOnLongSeries()
    {
        // 250 sampled thresholds skip steps of a 2,000-point curve: the value moves (the choice is documented).
        var random = new Random(5);
        var labels = RandomRuns(random, 2000, 0.01);
        var scores = RandomScores(random, labels);

        var exact = VusMetrics.Compute(labels, scores, Buffer(8));
        var sampled = VusMetrics.Compute(labels, scores, new VusOptions { MaxBuffer = 8 }); // default: the reference's 250

        Assert.NotEqual(exact.Roc, sampled.Roc);
        Assert.Equal(Literal([labels], [scores], 8, 250).Roc, sampled.Roc, 12);
    }

    [Fact]
    public void Compute_NaNScore_IsNoScore()
    {
        var nan = VusMetrics.Compute([B("01"), B("10")], [S(0, 1), [0.5, double.NaN]]);
        var none = VusMetrics.Compute([B("01"), B("10")], [S(0, 1), [0.5, null]]);
        Assert.Equal(none.Roc, nan.Roc);
        Assert.Equal(none.Pr, nan.Pr);
    }

    [Fact]
    public void Compute_LengthMismatch_NamesSeries()
    {
        var e = Assert.Throws<ArgumentException>(() => VusMetrics.Compute([B("01"), B("10")], [S(0, 1), S(1)]));
        Assert.Contains("Series 1", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => VusMetrics.Compute([B("01")], [S(0, 1), S(1)]));
    }

    [Fact]
    public void Compute_InvalidOptions_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VusMetrics.Compute(B("01"), S(0, 1), new VusOptions { MaxBuffer = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => VusMetrics.Compute(B("01"), S(0, 1), new VusOptions { ThresholdCount = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => VusMetrics.Compute(B("01"), S(0, 1), new VusOptions { Definition = (VusDefinition)7 }));
    }

    internal static bool[] RandomRuns(Random random, int length, double startProbability)
    {
        var result = new bool[length];
        for (var i = 0; i < length; i++)
        {
            if (random.NextDouble() >= startProbability) { continue; }
            var run = random.Next(1, 12);
            for (var k = i; k < Math.Min(length, i + run); k++) { result[k] = true; }
            i += run + random.Next(0, 6);
        }

        return result;
    }

    private static double?[] RandomScores(Random random, bool[] labels)
    {
        var result = new double?[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            var u = random.NextDouble();
            result[i] = u < 0.05 ? null : Math.Round(random.NextDouble() + (labels[i] ? 0.4 : 0) + (i > 0 && labels[i - 1] ? 0.2 : 0), 2);
        }

        return result;
    }

    /// <summary>
    /// A literal, slow transcription of the reference (TheDatumOrg/VUS <c>RangeAUC_volume_opt</c>): soft labels built
    /// array-wise per series as <c>sequencing</c> does, segments as <c>new_sequence</c>, every threshold evaluated from
    /// scratch over all points. Series are concatenated for the threshold sweep. Thresholds: every distinct score
    /// (null = exact) or the scores at <c>linspace(0, n-1, k).astype(int)</c> of the descending sort.
    /// </summary>
    /// <para>With <paramref name="revised"/>: TheDatumOrg/TSB-AD <c>RangeAUC_volume_opt</c> instead, which rebuilds the
    /// labels per threshold (<c>labels[seg] = labels_extended[seg] * pred[seg]</c> over the segments, then 1 on every
    /// event), so <c>N_labels</c> = P + the soft labels of the flagged ramp points, and sums PR as
    /// <c>dot(ΔTPR, Precision_list[1:])</c>.</para>
    private static (double Roc, double Pr) Literal(IReadOnlyList<bool[]> labels, IReadOnlyList<double?[]> scores, int windowSize, int? thre, bool revised = false)
    {
        var score = scores.SelectMany(s => s).Select(v => v ?? double.NegativeInfinity).ToArray();
        var original = labels.SelectMany(l => l).ToArray();
        var n = score.Length;
        var p = original.Count(x => x);
        if (p == 0) { return (double.NaN, 0); } // the reference fails here; the documented convention of VusMetrics
        var sorted = score.OrderByDescending(x => x).ToArray();
        double[] thresholds = thre is { } k
            ? Enumerable.Range(0, k).Select(i => sorted[i == k - 1 ? n - 1 : (int)(i * ((double)(n - 1) / (k - 1)))]).ToArray()
            : sorted.Distinct().ToArray();

        var rocs = new List<double>();
        var prs = new List<double>();
        for (var window = 0; window <= windowSize; window++)
        {
            var soft = new List<double>();
            var segments = new List<(int A, int B)>();
            var offset = 0;
            foreach (var l in labels)
            {
                var seq = Ranges(l);
                var label = l.Select(x => x ? 1.0 : 0.0).ToArray();
                foreach (var (s, e) in seq)
                {
                    for (var x = e + 1; x < Math.Min(e + (window / 2) + 1, l.Length); x++) { label[x] += Math.Sqrt(1 - ((x - e) / (double)window)); }
                    for (var x = Math.Max(s - (window / 2), 0); x < s; x++) { label[x] += Math.Sqrt(1 - ((s - x) / (double)window)); }
                }

                soft.AddRange(label.Select(x => Math.Min(1.0, x)));
                if (seq.Count > 0)
                {
                    // new_sequence: merge ranges whose extensions by window//2 meet; clip the first start and last end.
                    var a = Math.Max(seq[0].S - (window / 2), 0);
                    for (var i = 0; i < seq.Count - 1; i++)
                    {
                        if (seq[i].E + (window / 2) < seq[i + 1].S - (window / 2))
                        {
                            segments.Add((offset + a, offset + seq[i].E + (window / 2)));
                            a = seq[i + 1].S - (window / 2);
                        }
                    }

                    segments.Add((offset + a, offset + Math.Min(seq[^1].E + (window / 2), l.Length - 1)));
                }

                offset += l.Length;
            }

            var nLabels = soft.Sum();
            var pNew = (p + nLabels) / 2;
            var tf = new List<(double Tpr, double Fpr)> { (0, 0) };
            var precision = new List<double> { 1 };
            foreach (var threshold in thresholds)
            {
                var pred = score.Select(x => x >= threshold ? 1.0 : 0.0).ToArray();
                var tp = Enumerable.Range(0, n).Sum(i => soft[i] * pred[i]);
                var nPred = pred.Sum();
                var existence = segments.Count(seg => Enumerable.Range(seg.A, seg.B - seg.A + 1).Sum(i => soft[i] * pred[i]) > 0);
                if (revised)
                {
                    nLabels = p + Enumerable.Range(0, n).Where(i => !original[i]).Sum(i => soft[i] * pred[i]);
                    pNew = (p + nLabels) / 2;
                }

                var recall = Math.Min(tp / pNew, 1);
                tf.Add((recall * existence / segments.Count, (nPred - tp) / (n - pNew)));
                precision.Add(tp / nPred);
            }

            tf.Add((1, 1));
            double roc = 0, pr = 0;
            for (var i = 1; i < tf.Count; i++) { roc += (tf[i].Fpr - tf[i - 1].Fpr) * (tf[i].Tpr + tf[i - 1].Tpr) / 2; }
            for (var i = 1; i < precision.Count; i++) { pr += (tf[i].Tpr - tf[i - 1].Tpr) * (revised ? precision[i] : (precision[i] + precision[i - 1]) / 2); }
            rocs.Add(roc);
            prs.Add(pr);
        }

        return (rocs.Average(), prs.Average());
    }

    private static List<(int S, int E)> Ranges(bool[] l)
    {
        var result = new List<(int, int)>();
        for (var i = 0; i < l.Length; i++)
        {
            if (!l[i]) { continue; }
            var s = i;
            while (i < l.Length && l[i]) { i++; }
            result.Add((s, i - 1));
        }

        return result;
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }

    private sealed class VusComparer : IEqualityComparer<VusScores>
    {
        public bool Equals(VusScores? x, VusScores? y) =>
            x is not null && y is not null && x.Roc.Equals(y.Roc) && x.Pr.Equals(y.Pr) && x.MaxBuffer == y.MaxBuffer
            && x.RocByBuffer.SequenceEqual(y.RocByBuffer) && x.PrByBuffer.SequenceEqual(y.PrByBuffer);

        public int GetHashCode(VusScores obj) => 0;
    }
}
