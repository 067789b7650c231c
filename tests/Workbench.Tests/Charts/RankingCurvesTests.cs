using System.Globalization;
using Workbench.Charts;
using Workbench.Evaluation.Metrics;
using static Workbench.Tests.Charts.ChartTestData;

namespace Workbench.Tests.Charts;

public class RankingCurvesTests
{
    private static readonly bool[] SmallLabels = [true, false, true, false];
    private static readonly double?[] SmallScores = [0.9, 0.8, 0.3, null];

    [Fact]
    public void RocPoints_HandComputed_NullRankedLowest()
    {
        var (fpr, tpr) = RankingCurves.RocPoints([SmallLabels], [SmallScores]);

        Assert.Equal([0, 0, 0.5, 0.5, 1], fpr);
        Assert.Equal([0, 0.5, 0.5, 1, 1], tpr);
    }

    [Fact]
    public void PrPoints_HandComputed()
    {
        var (recall, precision) = RankingCurves.PrPoints([SmallLabels], [SmallScores]);

        Assert.Equal([0, 0.5, 0.5, 1, 1], recall);
        Assert.Equal([1, 1, 0.5, 2.0 / 3, 0.5], precision);
    }

    [Fact]
    public void Roc_LegendShowsRankingMetricsAuc_PlusChanceLine()
    {
        var chart = RankingCurves.Roc([DetectorScores.FromArrays("zscore", SmallLabels, SmallScores)]);

        var traces = Traces(chart);
        Assert.Equal(["zscore (AUC 0.750)", "chance"], traces.Select(t => t.Name()).ToArray());
        Assert.Equal(0.75, RankingMetrics.RocAuc(SmallLabels, SmallScores));
        Assert.Equal("false positive rate", Layout(chart).GetProperty("xaxis").GetProperty("title").Str("text"));
    }

    [Fact]
    public void PrecisionRecall_LegendShowsAveragePrecision_StepCurve_RandomBaseline()
    {
        var traces = Traces(RankingCurves.PrecisionRecall(
            [DetectorScores.FromArrays("a", SmallLabels, SmallScores), DetectorScores.FromArrays("b", SmallLabels, [0, 0, 0, 0])]));

        Assert.Equal(["a (AP 0.833)", "b (AP 0.500)", "random (0.500)"], traces.Select(t => t.Name()).ToArray());
        Assert.Equal("vh", traces[0].GetProperty("line").Str("shape"));
        Assert.NotEqual(traces[0].GetProperty("line").Str("color"), traces[1].GetProperty("line").Str("color"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Curves_RandomScoresWithTiesAndNulls_AreaUnderDrawnCurveEqualsMetric(int seed)
    {
        var rng = new Random(seed);
        var labels = new[] { new bool[400], new bool[250] };
        var scores = new[] { new double?[400], new double?[250] };
        for (var s = 0; s < 2; s++)
        {
            for (var i = 0; i < labels[s].Length; i++)
            {
                labels[s][i] = rng.NextDouble() < 0.15;
                scores[s][i] = rng.NextDouble() < 0.1 ? null : Math.Round(rng.NextDouble() + (labels[s][i] ? 0.4 : 0), 1); // rounding makes ties
            }
        }

        var (fpr, tpr) = RankingCurves.RocPoints(labels, scores);
        var (recall, precision) = RankingCurves.PrPoints(labels, scores);

        double trapezoid = 0, steps = 0;
        for (var i = 1; i < fpr.Length; i++) { trapezoid += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2; }
        for (var i = 1; i < recall.Length; i++) { steps += (recall[i] - recall[i - 1]) * precision[i]; }
        Assert.Equal(RankingMetrics.RocAuc(labels, scores), trapezoid, 12);
        Assert.Equal(RankingMetrics.AveragePrecision(labels, scores), steps, 12);
        Assert.Equal((0.0, 0.0), (fpr[0], tpr[0]));
        Assert.Equal((1.0, 1.0), (fpr[^1], tpr[^1]));
        Assert.True(fpr.Length < 60, $"compaction keeps the curve small: {fpr.Length} points");
    }

    [Fact]
    public void Roc_OneClassOnly_AucNotAvailableAndNoCurvePoints()
    {
        var traces = Traces(RankingCurves.Roc([DetectorScores.FromArrays("d", [false, false], [0.1, 0.2])]));

        Assert.Equal("d (AUC n/a)", traces[0].Name());
        Assert.Empty(traces[0].Numbers("x"));
    }

    [Fact]
    public void FromFlaggedAndFromScored_LabelsFromObservations()
    {
        var flagged = Flagged(Observations());
        var scored = flagged.Select(f => new Workbench.Operators.Detection.ScoredObservation(f.Observation, f.Score)).ToArray();

        var a = DetectorScores.FromFlagged("d", flagged);
        var b = DetectorScores.FromScored("d", scored);

        Assert.Equal(flagged.Select(f => f.Observation.Label.IsAnomaly).ToArray(), a.Labels[0]);
        Assert.Equal(a.Labels[0], b.Labels[0]);
        Assert.Equal(a.Scores[0], b.Scores[0]);
        var auc = RankingMetrics.RocAuc(a.Labels, a.Scores);
        Assert.Equal($"d (AUC {auc.ToString("0.000", CultureInfo.InvariantCulture)})", Traces(RankingCurves.Roc([a]))[0].Name());
    }

    [Fact]
    public void Curves_BadInput_ThrowsNamingTheDetector()
    {
        Assert.Throws<ArgumentException>(() => RankingCurves.Roc([]));
        var e = Assert.Throws<ArgumentException>(() => RankingCurves.PrecisionRecall([DetectorScores.FromArrays("bad", [true, false], [0.1])]));
        Assert.Contains("Detector 'bad'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Curves_NaNScore_IsNoScore()
    {
        // METRICS.md "Non-finite scores": NaN is no score, ranked as null (the lowest), never an error.
        var nan = Traces(RankingCurves.Roc([DetectorScores.FromArrays("d", [true, false, true], [double.NaN, 0, 1])]));
        var none = Traces(RankingCurves.Roc([DetectorScores.FromArrays("d", [true, false, true], [null, 0, 1])]));
        Assert.Equal(none.Length, nan.Length);
        Assert.Equal(none[0].Name(), nan[0].Name());
    }

    [Fact]
    public void Curves_DifferentLabels_NoRandomBaseline()
    {
        var traces = Traces(RankingCurves.PrecisionRecall(
            [DetectorScores.FromArrays("a", [true, false], [1, 0]), DetectorScores.FromArrays("b", [false, true], [1, 0])]));

        Assert.Equal(2, traces.Length);
    }
}
