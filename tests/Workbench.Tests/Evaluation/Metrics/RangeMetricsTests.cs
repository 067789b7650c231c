using Workbench.Evaluation.Metrics;
using static Workbench.Tests.Evaluation.Metrics.MetricsTestKit;

namespace Workbench.Tests.Evaluation.Metrics;

public class RangeMetricsTests
{
    private static RangeMetricOptions With(RangeBias bias) => new() { Bias = bias };

    // Shared case for the bias tests: real range R = rows 1-4 (ℓ = 4), predicted range P = rows 2-5 (ℓ = 4).
    // R ∩ P = rows 2-4 = positions 2, 3, 4 of R and positions 1, 2, 3 of P.
    private static readonly bool[] ShiftedLabels = B("0111100000");
    private static readonly bool[] ShiftedFlags = B("0011110000");

    [Fact]
    public void Compute_FlatBias_FractionOfPointsCovered()
    {
        var r = RangeMetrics.Compute(ShiftedLabels, null, ShiftedFlags, With(RangeBias.Flat));

        Assert.Equal(0.75, r.Recall, 15);    // 3 of 4 points of R
        Assert.Equal(0.75, r.Precision, 15); // 3 of 4 points of P
        Assert.Equal(0.75, r.F1, 15);
        Assert.Equal(1, r.RealRangeCount);
        Assert.Equal(1, r.PredictedRangeCount);
    }

    [Fact]
    public void Compute_FrontBias_WeighsEarlyPositions()
    {
        // δ for ℓ = 4: 4, 3, 2, 1 (sum 10). Recall: positions 2-4 of R = 3+2+1 = 6/10. Precision: positions 1-3 of P = 4+3+2 = 9/10.
        var r = RangeMetrics.Compute(ShiftedLabels, null, ShiftedFlags, With(RangeBias.Front));

        Assert.Equal(0.6, r.Recall, 15);
        Assert.Equal(0.9, r.Precision, 15);
        Assert.Equal(2 * 0.6 * 0.9 / 1.5, r.F1, 15);
    }

    [Fact]
    public void Compute_BackBias_WeighsLatePositions()
    {
        // δ for ℓ = 4: 1, 2, 3, 4 (sum 10). Recall: 2+3+4 = 9/10. Precision: 1+2+3 = 6/10.
        var r = RangeMetrics.Compute(ShiftedLabels, null, ShiftedFlags, With(RangeBias.Back));

        Assert.Equal(0.9, r.Recall, 15);
        Assert.Equal(0.6, r.Precision, 15);
    }

    [Fact]
    public void Compute_MiddleBias_EvenLength_WeighsCentre()
    {
        // δ for ℓ = 4: 1, 2, 2, 1 (sum 6). Recall: 2+2+1 = 5/6. Precision: 1+2+2 = 5/6.
        var r = RangeMetrics.Compute(ShiftedLabels, null, ShiftedFlags, With(RangeBias.Middle));

        Assert.Equal(5.0 / 6, r.Recall, 15);
        Assert.Equal(5.0 / 6, r.Precision, 15);
    }

    [Theory]
    [InlineData(RangeBias.Flat, "00100", 1.0 / 5)]
    [InlineData(RangeBias.Middle, "00100", 3.0 / 9)]  // δ 1,2,3,2,1
    [InlineData(RangeBias.Middle, "01000", 2.0 / 9)]
    [InlineData(RangeBias.Front, "10000", 5.0 / 15)] // δ 5,4,3,2,1
    [InlineData(RangeBias.Front, "00001", 1.0 / 15)]
    [InlineData(RangeBias.Back, "00001", 5.0 / 15)]  // δ 1,2,3,4,5
    [InlineData(RangeBias.Back, "11000", 3.0 / 15)]
    public void Compute_OddLengthRange_RecallIsBiasWeightedShare(RangeBias bias, string flags, double expectedRecall)
    {
        var r = RangeMetrics.Compute(B("11111"), null, B(flags), With(bias));

        Assert.Equal(expectedRecall, r.Recall, 15);
        Assert.Equal(1.0, r.Precision, 15); // the single prediction lies wholly inside the real range
    }

    [Fact]
    public void Compute_AlphaOne_RecallEqualsEventRecall()
    {
        // Events [0-1] (found at row 1), [5-7] (found at row 7), [10-11] (missed): event recall 2/3.
        var labels = B("110001110011");
        var flags = B("010110011000");

        var r = RangeMetrics.Compute(labels, null, flags, new RangeMetricOptions { Alpha = 1 });

        Assert.Equal(2.0 / 3, r.Recall, 15);
        Assert.Equal(EventMetrics.Compute(labels, null, flags).Recall, r.Recall, 15);
        // Precision has no existence reward: runs [1] → 1, [3-4] → 0, [7-8] → 1/2; mean 1/2.
        Assert.Equal(0.5, r.Precision, 15);
    }

    [Fact]
    public void Compute_AlphaHalf_MixesExistenceAndOverlap()
    {
        // Overlaps 1/2, 1/3, 0; existence 1, 1, 0. α = 0: 5/18. α = 0.5: (3/4 + 2/3 + 0) / 3 = 17/36.
        var labels = B("110001110011");
        var flags = B("010110011000");

        Assert.Equal(5.0 / 18, RangeMetrics.Compute(labels, null, flags).Recall, 15);
        Assert.Equal(17.0 / 36, RangeMetrics.Compute(labels, null, flags, new RangeMetricOptions { Alpha = 0.5 }).Recall, 15);
    }

    [Fact]
    public void Compute_RealRangeCoveredByTwoPredictions_ReciprocalHalvesRecall()
    {
        // R = rows 1-8; predictions rows 2-3 and 6-7 cover 4 of 8 points; γ = 1/2 under Reciprocal.
        var labels = B("0111111110");
        var flags = B("0011001100");

        var reciprocal = RangeMetrics.Compute(labels, null, flags, new RangeMetricOptions { Cardinality = RangeCardinality.Reciprocal });
        var one = RangeMetrics.Compute(labels, null, flags, new RangeMetricOptions { Cardinality = RangeCardinality.One });

        Assert.Equal(0.25, reciprocal.Recall, 15);
        Assert.Equal(0.5, one.Recall, 15);
        Assert.Equal(1.0, reciprocal.Precision, 15); // each prediction lies inside one real range
        Assert.Equal(1.0, one.Precision, 15);
        Assert.Equal(2, reciprocal.PredictedRangeCount);
    }

    [Fact]
    public void Compute_PredictionSpanningTwoRealRanges_ReciprocalHalvesPrecision()
    {
        // P = rows 1-5 covers both real ranges [1-2] and [4-5]: 4 of its 5 points, γ = 1/2 under Reciprocal.
        var labels = B("0110110");
        var flags = B("0111110");

        var reciprocal = RangeMetrics.Compute(labels, null, flags);
        var one = RangeMetrics.Compute(labels, null, flags, RangeMetricOptions.Classic);

        Assert.Equal(0.4, reciprocal.Precision, 15);
        Assert.Equal(0.8, one.Precision, 15);
        Assert.Equal(1.0, reciprocal.Recall, 15); // each real range is wholly covered by one prediction
        Assert.Equal(1.0, one.Recall, 15);
    }

    [Fact]
    public void Compute_SinglePointRangesClassic_EqualsPointWise()
    {
        // Labels at rows 1, 3, 7, 9; flags at rows 1, 5, 9: TP 2, FP 1, FN 2.
        var labels = B("0101000101");
        var flags = B("0100010001");

        var range = RangeMetrics.Compute(labels, null, flags, RangeMetricOptions.Classic);

        Assert.Equal(2.0 / 3, range.Precision, 15);
        Assert.Equal(0.5, range.Recall, 15);
        Assert.Equal(PointMetrics.Compute(labels, flags).F1, range.F1, 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Compute_RandomSinglePointRanges_ReduceToPointWiseForEveryBias(int seed)
    {
        // Only even rows may be set, so every real and predicted range is a single point.
        var random = new Random(seed);
        var labels = new bool[301];
        var flags = new bool[301];
        for (var i = 0; i < labels.Length; i += 2)
        {
            labels[i] = random.NextDouble() < 0.3;
            flags[i] = random.NextDouble() < 0.3;
        }

        var point = PointMetrics.Compute(labels, flags);
        Assert.True(point.TruePositives > 0 && point.FalsePositives > 0 && point.FalseNegatives > 0);
        foreach (var bias in Enum.GetValues<RangeBias>())
        {
            var range = RangeMetrics.Compute(labels, null, flags, RangeMetricOptions.Classic with { Bias = bias });
            Assert.Equal(point.Precision, range.Precision, 12);
            Assert.Equal(point.Recall, range.Recall, 12);
            Assert.Equal(point.F1, range.F1, 12);
        }
    }

    [Fact]
    public void Compute_MultipleSeries_PoolsRangesAndNeverJoinsAcrossSeries()
    {
        // Series 0 ends inside a range and series 1 starts inside one: four separate ranges, each found exactly.
        var joined = RangeMetrics.Compute([B("0011"), B("1100")], null, [B("0011"), B("1100")]);
        Assert.Equal(2, joined.RealRangeCount);
        Assert.Equal(2, joined.PredictedRangeCount);
        Assert.Equal(1.0, joined.Recall, 15);
        Assert.Equal(1.0, joined.Precision, 15);

        // Series 0: R [1-2] half covered by P [1] (precision 1). Series 1: R [0] missed, P [3] false. Means over ranges.
        var pooled = RangeMetrics.Compute([B("0110"), B("1000")], null, [B("0100"), B("0001")]);
        Assert.Equal(0.25, pooled.Recall, 15);
        Assert.Equal(0.5, pooled.Precision, 15);
        Assert.Equal(pooled, RangeMetrics.Compute([B("1000"), B("0110")], null, [B("0001"), B("0100")]));
    }

    [Fact]
    public void Compute_EventIds_NonContiguousEventIsOneRange()
    {
        // Event 1 = rows 0, 1, 3 (positions 1, 2, 3); only row 3 flagged. Flat: 1/3; front (δ 3, 2, 1): 1/6.
        int?[] ids = [1, 1, null, 1];
        var labels = B("1101");
        var flags = B("0001");

        Assert.Equal(1.0 / 3, RangeMetrics.Compute(labels, ids, flags).Recall, 15);
        var front = RangeMetrics.Compute(labels, ids, flags, With(RangeBias.Front));
        Assert.Equal(1.0 / 6, front.Recall, 15);
        Assert.Equal(1.0, front.Precision, 15);
        Assert.Equal(1, front.RealRangeCount);
    }

    [Fact]
    public void Compute_EventIds_AdjacentEventsStaySeparate()
    {
        // Events 1 = rows 0-1 and 2 = rows 2-3; P = rows 1-2 covers half of each and overlaps two real ranges.
        int?[] ids = [1, 1, 2, 2];

        var reciprocal = RangeMetrics.Compute(B("1111"), ids, B("0110"));
        var one = RangeMetrics.Compute(B("1111"), ids, B("0110"), RangeMetricOptions.Classic);

        Assert.Equal(2, reciprocal.RealRangeCount);
        Assert.Equal(0.5, reciprocal.Recall, 15);
        Assert.Equal(0.5, reciprocal.Precision, 15);
        Assert.Equal(1.0, one.Precision, 15);
        Assert.Equal(1, RangeMetrics.Compute(B("1111"), null, B("0110")).RealRangeCount);
    }

    [Fact]
    public void Compute_NoEvents_RecallZeroAndFlagsScorePrecisionZero()
    {
        var r = RangeMetrics.Compute(B("0000"), null, B("0100"));

        Assert.Equal(new RangeScores(0, 0, 0, 1), r);
        Assert.Equal(0, r.F1);
        Assert.Equal(new RangeScores(0, 0, 0, 0), RangeMetrics.Compute(B("0000"), null, B("0000")));
    }

    [Fact]
    public void Compute_AllAnomalousAllFlagged_Perfect()
    {
        foreach (var bias in Enum.GetValues<RangeBias>())
        {
            var r = RangeMetrics.Compute(B("1111"), null, B("1111"), new RangeMetricOptions { Bias = bias, Alpha = 0.3 });
            Assert.Equal(1.0, r.Precision, 15);
            Assert.Equal(1.0, r.Recall, 15);
            Assert.Equal(1.0, r.F1, 15);
        }
    }

    [Fact]
    public void Compute_EmptyFlags_AllZero()
    {
        var r = RangeMetrics.Compute(B("0110"), null, B("0000"), new RangeMetricOptions { Alpha = 1 });

        Assert.Equal(new RangeScores(0, 0, 1, 0), r);
        Assert.Equal(0, r.F1);
    }

    [Fact]
    public void Compute_EmptySeries_AllZero()
    {
        Assert.Equal(new RangeScores(0, 0, 0, 0), RangeMetrics.Compute(Array.Empty<bool>(), null, Array.Empty<bool>()));
    }

    [Fact]
    public void Compute_RangesAtSeriesStartAndEnd_FrontBias()
    {
        // R [0-1] flagged at its first position (δ 2 of 3), R [5-6] flagged at its last (δ 1 of 3). Both predictions are inside.
        var r = RangeMetrics.Compute(B("1100011"), null, B("1000001"), With(RangeBias.Front));

        Assert.Equal(0.5, r.Recall, 15);
        Assert.Equal(1.0, r.Precision, 15);
        Assert.Equal(2.0 / 3, r.F1, 15);
    }

    [Fact]
    public void Compute_PrecisionBias_OverridesBiasForPrecisionOnly()
    {
        var options = new RangeMetricOptions { Bias = RangeBias.Front, PrecisionBias = RangeBias.Back };

        var r = RangeMetrics.Compute(ShiftedLabels, null, ShiftedFlags, options);

        Assert.Equal(0.6, r.Recall, 15);    // front on R
        Assert.Equal(0.6, r.Precision, 15); // back on P: 1+2+3 of 10
    }

    [Fact]
    public void Options_Defaults_AreDocumentedValues()
    {
        var o = new RangeMetricOptions();

        Assert.Equal(0, o.Alpha);
        Assert.Equal(RangeBias.Flat, o.Bias);
        Assert.Null(o.PrecisionBias);
        Assert.Equal(RangeCardinality.Reciprocal, o.Cardinality);
        Assert.Equal(RangeCardinality.One, RangeMetricOptions.Classic.Cardinality);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void Compute_AlphaOutOfRange_Throws(double alpha)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(
            () => RangeMetrics.Compute(B("01"), null, B("01"), new RangeMetricOptions { Alpha = alpha }));
        Assert.Equal("Alpha", e.ParamName);
    }

    [Fact]
    public void Compute_UndefinedEnums_Throw()
    {
        Assert.Equal("Bias", Assert.Throws<ArgumentOutOfRangeException>(
            () => RangeMetrics.Compute(B("01"), null, B("01"), new RangeMetricOptions { Bias = (RangeBias)9 })).ParamName);
        Assert.Equal("PrecisionBias", Assert.Throws<ArgumentOutOfRangeException>(
            () => RangeMetrics.Compute(B("01"), null, B("01"), new RangeMetricOptions { PrecisionBias = (RangeBias)9 })).ParamName);
        Assert.Equal("Cardinality", Assert.Throws<ArgumentOutOfRangeException>(
            () => RangeMetrics.Compute(B("01"), null, B("01"), new RangeMetricOptions { Cardinality = (RangeCardinality)9 })).ParamName);
    }

    [Fact]
    public void Compute_BadInput_ThrowsNamingSeriesAndArgument()
    {
        var length = Assert.Throws<ArgumentException>(() => RangeMetrics.Compute([B("01"), B("011")], null, [B("01"), B("01")]));
        Assert.Equal("flags", length.ParamName);
        Assert.Contains("Series 1", length.Message, StringComparison.Ordinal);

        var count = Assert.Throws<ArgumentException>(() => RangeMetrics.Compute([B("01")], null, [B("01"), B("01")]));
        Assert.Equal("flags", count.ParamName);

        var ids = Assert.Throws<ArgumentException>(() => RangeMetrics.Compute(B("01"), [1, 1], B("01")));
        Assert.Equal("eventIds", ids.ParamName);
        Assert.Contains("row 0", ids.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Compute_RandomRuns_MatchesLiteralDefinition(int seed)
    {
        // Random runs of labels and flags over three series, checked against a literal transcription of the paper's
        // formulas (ranges as row lists, ω and γ computed range by range) for every option combination.
        var random = new Random(seed);
        var labels = new List<bool[]>();
        var flags = new List<bool[]>();
        for (var s = 0; s < 3; s++)
        {
            labels.Add(RandomRuns(random, 120, 0.15));
            flags.Add(RandomRuns(random, 120, 0.25));
        }

        foreach (var bias in Enum.GetValues<RangeBias>())
        {
            foreach (var cardinality in Enum.GetValues<RangeCardinality>())
            {
                foreach (var alpha in new[] { 0.0, 0.4, 1.0 })
                {
                    var options = new RangeMetricOptions { Bias = bias, Cardinality = cardinality, Alpha = alpha, PrecisionBias = RangeBias.Middle };
                    var (precision, recall) = Literal(labels, flags, options);
                    var r = RangeMetrics.Compute(labels, null, flags, options);
                    Assert.Equal(precision, r.Precision, 12);
                    Assert.Equal(recall, r.Recall, 12);
                }
            }
        }
    }

    private static bool[] RandomRuns(Random random, int length, double startProbability)
    {
        var result = new bool[length];
        for (var i = 0; i < length; i++)
        {
            if (random.NextDouble() >= startProbability) { continue; }
            var run = random.Next(1, 9);
            for (var k = i; k < Math.Min(length, i + run); k++) { result[k] = true; }
            i += run;
        }

        return result;
    }

    private static (double Precision, double Recall) Literal(List<bool[]> labels, List<bool[]> flags, RangeMetricOptions o)
    {
        var real = new List<int[]>();
        var predicted = new List<int[]>();
        for (var s = 0; s < labels.Count; s++)
        {
            real.AddRange(Runs(labels[s], s * 1_000_000));
            predicted.AddRange(Runs(flags[s], s * 1_000_000));
        }

        double recall = 0;
        foreach (var r in real)
        {
            var overlapping = predicted.Where(p => p.Intersect(r).Any()).ToList();
            var existence = overlapping.Count > 0 ? 1.0 : 0.0;
            var sum = overlapping.Sum(p => Omega(r, p, o.Bias));
            var gamma = o.Cardinality == RangeCardinality.Reciprocal && overlapping.Count > 1 ? 1.0 / overlapping.Count : 1.0;
            recall += (o.Alpha * existence) + ((1 - o.Alpha) * gamma * sum);
        }

        double precision = 0;
        foreach (var p in predicted)
        {
            var overlapping = real.Where(r => r.Intersect(p).Any()).ToList();
            var sum = overlapping.Sum(r => Omega(p, r, o.PrecisionBias ?? o.Bias));
            var gamma = o.Cardinality == RangeCardinality.Reciprocal && overlapping.Count > 1 ? 1.0 / overlapping.Count : 1.0;
            precision += gamma * sum;
        }

        return (predicted.Count == 0 ? 0 : precision / predicted.Count, real.Count == 0 ? 0 : recall / real.Count);
    }

    private static double Omega(int[] range, int[] other, RangeBias bias)
    {
        double my = 0, max = 0;
        var l = range.Length;
        for (var i = 1; i <= l; i++)
        {
            double d = bias switch
            {
                RangeBias.Flat => 1,
                RangeBias.Front => l - i + 1,
                RangeBias.Back => i,
                _ => i <= l / 2.0 ? i : l - i + 1,
            };
            max += d;
            if (other.Contains(range[i - 1])) { my += d; }
        }

        return my / max;
    }

    private static IEnumerable<int[]> Runs(bool[] bits, int offset)
    {
        for (var i = 0; i < bits.Length; i++)
        {
            if (!bits[i]) { continue; }
            var run = new List<int>();
            while (i < bits.Length && bits[i]) { run.Add(offset + i); i++; }
            yield return run.ToArray();
        }
    }
}
