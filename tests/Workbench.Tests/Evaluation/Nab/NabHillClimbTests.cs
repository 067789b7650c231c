using Workbench.Evaluation.Nab;
using Workbench.Import;
using Workbench.Tests.Support;

namespace Workbench.Tests.Evaluation.Nab;

public class NabHillClimbTests
{
    // One file of 20 rows (probation 3 rows), window rows 10-11. Row 10 scores 0.75 (earliest window row: +A_TP = +1),
    // row 5 scores 0.52 (a false alarm before the window: −0.11). Standard profile, so
    // S(θ) = 0.89 for 0 < θ ≤ 0.52, 1 for 0.52 < θ ≤ 0.75, −1 above 0.75.
    private static NabFileInput TinyFile()
    {
        var ts = NabTestData.Timestamps(20);
        var scores = new double[20];
        scores[10] = 0.75;
        scores[5] = 0.52;
        return new NabFileInput("tiny.csv", ts, scores, NabTestData.Windows(ts, (10, 11)));
    }

    [Fact]
    public void Maximize_TinyCorpus_EvaluatesPointsAsSpecified()
    {
        var file = TinyFile();
        var result = NabHillClimb.Maximize(t => NabScorer.ScoreFile(file, NabProfile.Standard, t).RawScore);

        // 0.5 (0.89) → 0.6 better: move, δ = 0.2 → 0.8 (−1) worse, 0.4 (0.89) worse: back to 0.6, δ = 0.1 →
        // 0.7 (1, not strictly better), 0.5 (remembered: looked up, not evaluated again) → δ = 0.05: 0.65, 0.55 →
        // δ = 0.025: 0.625, 0.575 → … halving, two new points per δ, until δ = 0.1/2²⁰ ≤ 1e−7.
        double[] expectedStart = [0.5, 0.6, 0.8, 0.4, 0.7, 0.65, 0.55, 0.625, 0.575, 0.6125, 0.5875];
        double[] expectedScores = [0.89, 1, -1, 0.89, 1, 1, 1, 1, 1, 1, 1];
        for (var i = 0; i < expectedStart.Length; i++)
        {
            Assert.Equal(expectedStart[i], result.Evaluations[i].Threshold, 12);
            Assert.Equal(expectedScores[i], result.Evaluations[i].Score, 12);
        }

        // 2 points before the first halving round, 2 in the δ = 0.2 round, 2 in each of the 20 rounds δ = 0.1 … 0.1/2¹⁹,
        // less the remembered 0.5.
        Assert.Equal(2 + 2 + (20 * 2) - 1, result.Evaluations.Count);
        Assert.Equal(result.Evaluations.Count, result.Evaluations.Select(e => e.Threshold).Distinct().Count());
        var last = result.Evaluations[^1].Threshold - result.Evaluations[^2].Threshold;
        Assert.Equal(2 * 0.1 / (1 << 19), Math.Abs(last), 15); // the last round tried x ± 0.1/2¹⁹

        // The answer is the first remembered point with the best objective: 0.6.
        Assert.Equal(0.6, result.Threshold, 15);
        Assert.Equal(1.0, result.Score, 12);
    }

    [Fact]
    public void Maximize_OutsideUnitInterval_IsMinusInfinityWithoutCallingTheObjective()
    {
        var calls = new List<double>();
        var result = NabHillClimb.Maximize(t =>
        {
            calls.Add(t);
            return t; // increasing: the climb runs into θ > 1
        });

        Assert.All(calls, t => Assert.InRange(t, 0.0, 1.0));
        Assert.Contains(result.Evaluations, e => e.Threshold > 1 && double.IsNegativeInfinity(e.Score));
        Assert.Equal(calls.Count, result.Evaluations.Count(e => !double.IsNegativeInfinity(e.Score)));
        Assert.Equal(1.0, result.Threshold, 6); // a local optimum at the top of the domain (within the final step)
        Assert.True(result.Threshold <= 1);

        // 0.5 → 0.6 (better, δ 0.2) → 0.8 (better, δ 0.4) → 1.2 (−∞) → 0.4 (worse) → back to 0.8, δ 0.2 → 1.0 (better).
        Assert.Equal([0.5, 0.6, 0.8, 1.2, 0.4, 1.0], result.Evaluations.Take(6).Select(e => Math.Round(e.Threshold, 12)));
    }

    [Fact]
    public void ScoreCorpus_HillClimbOption_UsesTheClimbThreshold()
    {
        var file = TinyFile();
        var climbed = NabScorer.ScoreCorpus([file], NabProfile.Standard, search: NabThresholdSearch.HillClimb);
        var swept = NabScorer.ScoreCorpus([file], NabProfile.Standard);

        Assert.True(climbed.Optimized);
        Assert.Equal(0.6, climbed.Threshold, 15);
        Assert.Equal(1.0, climbed.RawScore, 12);
        Assert.Equal(0.75, swept.Threshold); // the sweep keeps the highest θ of the best score
        Assert.Equal(swept.RawScore, climbed.RawScore, 12);

        // A fixed threshold wins over the search option.
        Assert.Equal(0.3, NabScorer.ScoreCorpus([file], NabProfile.Standard, 0.3, NabThresholdSearch.HillClimb).Threshold);
        Assert.Throws<ArgumentOutOfRangeException>(() => NabScorer.ScoreCorpus([file], NabProfile.Standard, search: (NabThresholdSearch)7));
    }

    [Fact]
    public void Fingerprint_PublishedNumentaThreshold_IsOnTheTwiddleLattice()
    {
        // nab-scoring.md: 0.5421876907348634 is a fingerprint of the hill-climb: 0.5 + 0.1·221185/2¹⁹ up to rounding.
        Assert.True(OnTwiddleLattice(0.5421876907348634));
        Assert.False(OnTwiddleLattice(0.5421876));
    }

    [SkippableFact]
    public void ScoreCorpus_RealCorpus_HillClimbNeverBeatsSweepAndLeavesFingerprints()
    {
        var corpus = NabCorpus.Load(TestPaths.RequireNab());
        var detectors = new Dictionary<string, Func<NabFile, double[]>>
        {
            ["uniform(42)"] = f =>
            {
                var random = new Random(42);
                return f.Values.Select(_ => random.NextDouble()).ToArray();
            },
            ["distance-from-median"] = f =>
            {
                var sorted = f.Values.Order().ToArray();
                var median = sorted[sorted.Length / 2];
                var spread = sorted[^1] - sorted[0];
                return f.Values.Select(v => spread == 0 ? 0 : Math.Abs(v - median) / spread).ToArray();
            },
        };

        foreach (var (name, detector) in detectors)
        {
            var inputs = corpus.Files.Select(f => new NabFileInput(f.Key, f.Timestamps, detector(f), f.Windows)).ToList();
            var swept = NabScorer.ScoreCorpus(inputs, NabProfile.All);
            var climbed = NabScorer.ScoreCorpus(inputs, NabProfile.All, search: NabThresholdSearch.HillClimb);
            for (var k = 0; k < NabProfile.All.Count; k++)
            {
                Assert.True(climbed[k].RawScore <= swept[k].RawScore + 1e-9, $"{name}, {NabProfile.All[k].Name}: hill-climb {climbed[k].RawScore} > sweep {swept[k].RawScore}");
                Assert.True(climbed[k].Optimized);
                Assert.InRange(climbed[k].Threshold, 0.0, 1.0);
                Assert.True(OnTwiddleLattice(climbed[k].Threshold), $"{name}, {NabProfile.All[k].Name}: θ = {climbed[k].Threshold:R}");
            }
        }
    }

    /// <summary>True when θ = 0.5 + 0.1·m/2²⁴ for an integer m, up to accumulated rounding (every twiddle point is).</summary>
    private static bool OnTwiddleLattice(double threshold)
    {
        var units = (threshold - 0.5) / 0.1 * (1 << 24);
        return Math.Abs(units - Math.Round(units)) < 1e-3;
    }
}
