using Workbench.Evaluation.Nab;
using Workbench.Import;
using static Workbench.Tests.Evaluation.Nab.NabTestData;

namespace Workbench.Tests.Evaluation.Nab;

public class NabScorerTests
{
    // nab-scoring.md section 3: P = min(floor(0.15 n), 750); n = 4,032 -> 604; n >= 5,000 -> 750.
    [Theory]
    [InlineData(4032, 604)]
    [InlineData(5000, 750)]
    [InlineData(10320, 750)]
    [InlineData(100, 15)]
    [InlineData(0, 0)]
    public void ProbationaryRows_Section3_Examples(int n, int expected) =>
        Assert.Equal(expected, NabScorer.ProbationaryRows(n));

    // nab-scoring.md section 4: reference values of the scaled sigmoid.
    [Theory]
    [InlineData(-1.0, 0.98661429815143)]
    [InlineData(-0.5, 0.84828363995751)]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, -0.84828363995751)]
    [InlineData(1.0, -0.98661429815143)]
    [InlineData(3.0, -0.99999938819555)]
    [InlineData(3.0000001, -1.0)]
    [InlineData(50.0, -1.0)]
    public void ScaledSigmoid_Section4_ReferenceValues(double y, double expected) =>
        Assert.Equal(expected, NabScorer.ScaledSigmoid(y), 1e-14); // the doc prints 14 decimals

    // nab-scoring.md section 5: exact weights from config/profiles.json.
    [Fact]
    public void Profiles_Section5_Weights()
    {
        Assert.Equal(new NabProfile("standard", 1.0, 0.11, 1.0), NabProfile.Standard);
        Assert.Equal(new NabProfile("reward_low_FP_rate", 1.0, 0.22, 1.0), NabProfile.RewardLowFp);
        Assert.Equal(new NabProfile("reward_low_FN_rate", 1.0, 0.11, 2.0), NabProfile.RewardLowFn);
        Assert.Equal([NabProfile.Standard, NabProfile.RewardLowFp, NabProfile.RewardLowFn], NabProfile.All);
    }

    // nab-scoring.md section 6: worked contributions on nyc_taxi (w = 207), standard profile.
    [Theory]
    [InlineData(5839 + 0, 1.000000)]
    [InlineData(5839 + 50, 0.968874)]
    [InlineData(5839 + 103, 0.861500)]
    [InlineData(5839 + 150, 0.605056)]
    [InlineData(5839 + 206, 0.012241)]
    [InlineData(6045 + 1, -0.001335)]
    [InlineData(6045 + 10, -0.013284)]
    [InlineData(6045 + 103, -0.093311)]
    [InlineData(6045 + 206, -0.108528)]
    [InlineData(6045 + 619, -0.110000)]
    [InlineData(3262, -0.110000)]
    [InlineData(0, -0.110000)]
    public void Contributions_Section6_NycTaxiTable_Standard(int row, double expected)
    {
        var file = File("nyc_taxi", 10320, NycTaxiWindows);
        Assert.Equal(expected, NabScorer.Contributions(file, NabProfile.Standard)[row], 6);
    }

    // nab-scoring.md section 6: "The FP values double under reward_low_FP_rate"; TP values are unchanged.
    [Fact]
    public void Contributions_Section6_RewardLowFp_DoublesFalsePositiveValues()
    {
        var file = File("nyc_taxi", 10320, NycTaxiWindows);
        var standard = NabScorer.Contributions(file, NabProfile.Standard);
        var lowFp = NabScorer.Contributions(file, NabProfile.RewardLowFp);
        foreach (var row in new[] { 0, 3262, 6045 + 1, 6045 + 10, 6045 + 103, 6045 + 206, 6045 + 619 })
        {
            Assert.Equal(2 * standard[row], lowFp[row], 15);
        }

        foreach (var row in new[] { 5839, 5839 + 103, 6045 })
        {
            Assert.Equal(standard[row], lowFp[row]);
        }

        Assert.Equal(-0.22, lowFp[3262], 12);
        Assert.Equal(2 * -0.093311, lowFp[6045 + 103], 5);
    }

    [Fact]
    public void Contributions_InsideWindow_StrictlyDecreasing_NeverNegative()
    {
        var file = File("f", 2000, [(1000, 1099)]);
        var c = NabScorer.Contributions(file, NabProfile.Standard);
        Assert.Equal(1.0, c[1000], 12);
        for (var i = 1001; i <= 1099; i++)
        {
            Assert.True(c[i] < c[i - 1]);
            Assert.True(c[i] > 0);
        }
    }

    // nab-scoring.md section 7.1 / 7.2: numenta on realKnownCause/nyc_taxi.csv, standard profile,
    // θ = 0.5421876907348634 -> S_file = 2.435728 (published 2.43572773247); TP 7, TN 8534, FP 1, FN 1028, total 10320.
    // The detector's output is not in the repository, so the detections are rebuilt from the offsets the doc gives
    // (earliest at window offsets 89, none, 100, 103, 86; one false alarm at row 3262), with three later detections
    // inside windows (TP = 7) and one in the probationary period, which must all be ignored.
    [Fact]
    public void ScoreFile_Section7_NycTaxiNumenta_PublishedScoreAndCounts()
    {
        const double theta = 0.5421876907348634;
        var ts = Timestamps(10320);
        var scores = new double[ts.Length];
        Array.Fill(scores, 0.5421876907348633);
        foreach (var row in new[] { 5839 + 89, 8423 + 100, 8731 + 103, 9977 + 86, 3262, 5839 + 90, 8423 + 180, 9977 + 206, 100 })
        {
            scores[row] = theta;
        }

        var file = new NabFileInput("realKnownCause/nyc_taxi.csv", ts, scores, Windows(ts, NycTaxiWindows));
        var result = NabScorer.ScoreFile(file, NabProfile.Standard, theta);

        Assert.Equal(2.43572773247, result.RawScore, 10);
        Assert.Equal(7, result.TruePositives);
        Assert.Equal(8534, result.TrueNegatives);
        Assert.Equal(1, result.FalsePositives);
        Assert.Equal(1028, result.FalseNegatives);
        Assert.Equal(10320, result.TotalCount);
        Assert.Equal(5, result.WindowCount);
        Assert.Equal(750, result.ProbationaryRows);
    }

    // nab-scoring.md section 9: S = 10.0 under standard -> 100 * 126 / 232 = 54.3103; 116 windows.
    // 63 windows hit on their first row (+1 each) and 53 missed (-1 each) give S = 10 exactly.
    [Fact]
    public void ScoreCorpus_Section9_NormalisationWorkedNumber()
    {
        var files = new List<NabFileInput>();
        for (var f = 0; f < 116; f++)
        {
            files.Add(f < 63 ? File($"f{f}", 1000, [(500, 599)], 500) : File($"f{f}", 1000, [(500, 599)]));
        }

        var standard = NabScorer.ScoreCorpus(files, NabProfile.Standard, 0.5);
        Assert.Equal(10.0, standard.RawScore, 9);
        Assert.Equal(-116.0, standard.NullScore);
        Assert.Equal(116.0, standard.PerfectScore);
        Assert.Equal(54.3103, standard.NormalizedScore, 4);
        Assert.False(standard.Optimized);

        // reward_low_FN_rate: S = 63 - 2 * 53 = -43 -> 100 (S + 232) / 348.
        var lowFn = NabScorer.ScoreCorpus(files, NabProfile.RewardLowFn, 0.5);
        Assert.Equal(-43.0, lowFn.RawScore, 9);
        Assert.Equal(100.0 * 189 / 348, lowFn.NormalizedScore, 9);
    }

    [Fact]
    public void ScoreFile_SeveralDetectionsInOneWindow_OnlyEarliestCounts_NoFalsePositive()
    {
        var once = NabScorer.ScoreFile(File("f", 1000, [(500, 599)], 520), NabProfile.Standard, 0.5);
        var many = NabScorer.ScoreFile(File("f", 1000, [(500, 599)], 520, 530, 598, 599), NabProfile.Standard, 0.5);
        Assert.Equal(once.RawScore, many.RawScore);
        Assert.Equal(0, many.FalsePositives);
        Assert.Equal(4, many.TruePositives);
        var expected = NabScorer.ScaledSigmoid(-80.0 / 100) / NabScorer.ScaledSigmoid(-1);
        Assert.Equal(expected, once.RawScore, 12);
    }

    [Fact]
    public void ScoreFile_DetectionExactlyAtWindowStartAndEnd()
    {
        var atStart = NabScorer.ScoreFile(File("f", 1000, [(500, 599)], 500), NabProfile.RewardLowFn, 0.5);
        Assert.Equal(1.0, atStart.RawScore, 12);
        var atEnd = NabScorer.ScoreFile(File("f", 1000, [(500, 599)], 599), NabProfile.RewardLowFn, 0.5);
        Assert.Equal(NabScorer.ScaledSigmoid(-1.0 / 100) / NabScorer.ScaledSigmoid(-1), atEnd.RawScore, 12);
        Assert.True(atEnd.RawScore > 0);

        // One row past the end is a false positive measured from the window: y = 1 / (w - 1).
        var after = NabScorer.ScoreFile(File("f", 1000, [(500, 599)], 600), NabProfile.RewardLowFn, 0.5);
        Assert.Equal(-2.0 + (0.11 * NabScorer.ScaledSigmoid(1.0 / 99)), after.RawScore, 12);
        Assert.Equal(1, after.FalsePositives);

        // One row before the start: before the first window, flat -A_FP.
        var before = NabScorer.ScoreFile(File("f", 1000, [(500, 599)], 499), NabProfile.RewardLowFn, 0.5);
        Assert.Equal(-2.0 - 0.11, before.RawScore, 12);
    }

    [Fact]
    public void ScoreFile_FalsePositiveAfterSecondWindow_MeasuredFromNearestPrecedingWindow()
    {
        // Windows of widths 11 and 51; a detection 20 rows after the second uses w' - 1 = 50.
        var r = NabScorer.ScoreFile(File("f", 1000, [(300, 310), (500, 550)], 570), NabProfile.Standard, 0.5);
        Assert.Equal(-2.0 + (0.11 * NabScorer.ScaledSigmoid(20.0 / 50)), r.RawScore, 12);
        // Between the windows: measured from the first window, w' - 1 = 10, y = 40 / 10 > 3 -> -A_FP.
        var between = NabScorer.ScoreFile(File("f", 1000, [(300, 310), (500, 550)], 350), NabProfile.Standard, 0.5);
        Assert.Equal(-2.11, between.RawScore, 12);
    }

    [Fact]
    public void ScoreFile_NoWindows_EveryDetectionCostsAfp_NoDetectionScoresZero()
    {
        var silent = NabScorer.ScoreFile(File("quiet", 1000, []), NabProfile.RewardLowFp, 0.5);
        Assert.Equal(0.0, silent.RawScore);
        Assert.Equal(0, silent.WindowCount);
        Assert.Equal(850, silent.TrueNegatives);

        var noisy = NabScorer.ScoreFile(File("quiet", 1000, [], 200, 500, 999), NabProfile.RewardLowFp, 0.5);
        Assert.Equal(-0.66, noisy.RawScore, 12);
        Assert.Equal(3, noisy.FalsePositives);
    }

    [Fact]
    public void ScoreFile_DetectionsInProbationaryPeriod_AreIgnored()
    {
        // n = 1000 -> P = 150; rows 0..149 never count, row 150 does.
        var probation = NabScorer.ScoreFile(File("f", 1000, [(500, 599)], 0, 10, 149), NabProfile.Standard, 0.5);
        Assert.Equal(-1.0, probation.RawScore);
        Assert.Equal(0, probation.FalsePositives);
        Assert.Equal(850, probation.TrueNegatives + probation.FalseNegatives + probation.TruePositives + probation.FalsePositives);

        var first = NabScorer.ScoreFile(File("f", 1000, [(500, 599)], 150), NabProfile.Standard, 0.5);
        Assert.Equal(-1.11, first.RawScore, 12);
    }

    [Fact]
    public void ScoreFile_WindowStraddlingProbation_CountsWithFullWidth_WindowInsideProbation_NotCounted()
    {
        // P = 150. Window [140, 159] straddles P: counted, width 20; a detection at row 150 has y = -(159 - 150 + 1) / 20.
        var straddle = NabScorer.ScoreFile(File("f", 1000, [(140, 159)], 150), NabProfile.Standard, 0.5);
        Assert.Equal(1, straddle.WindowCount);
        Assert.Equal(NabScorer.ScaledSigmoid(-0.5) / NabScorer.ScaledSigmoid(-1), straddle.RawScore, 12);

        var inside = NabScorer.ScoreFile(File("f", 1000, [(100, 120)], 110), NabProfile.Standard, 0.5);
        Assert.Equal(0, inside.WindowCount);
        Assert.Equal(0.0, inside.RawScore);
    }

    [Fact]
    public void ScoreFile_ThresholdIsGreaterOrEqual()
    {
        var ts = Timestamps(1000);
        var scores = new double[1000];
        scores[500] = 0.7;
        var file = new NabFileInput("f", ts, scores, Windows(ts, (500, 599)));
        Assert.Equal(1.0, NabScorer.ScoreFile(file, NabProfile.Standard, 0.7).RawScore, 12);
        Assert.Equal(-1.0, NabScorer.ScoreFile(file, NabProfile.Standard, Math.BitIncrement(0.7)).RawScore);
    }

    [Fact]
    public void ScoreFile_BadInput_ThrowsNamingFileAndRowOrWindow()
    {
        var ts = Timestamps(100);
        var length = Assert.Throws<ArgumentException>(() => NabScorer.ScoreFile(new NabFileInput("b.csv", ts, new double[99], []), NabProfile.Standard, 0.5));
        Assert.Contains("b.csv", length.Message);

        var overlap = Assert.Throws<ArgumentException>(() => NabScorer.ScoreFile(
            new NabFileInput("c.csv", ts, new double[100], Windows(ts, (10, 30), (30, 40))), NabProfile.Standard, 0.5));
        Assert.Contains("c.csv", overlap.Message);
        Assert.Contains("window 1", overlap.Message);

        var empty = Assert.Throws<ArgumentException>(() => NabScorer.ScoreFile(
            new NabFileInput("d.csv", ts, new double[100], [new NabWindow(ts[99].AddDays(1), ts[99].AddDays(2))]), NabProfile.Standard, 0.5));
        Assert.Contains("covers no row", empty.Message);

        Assert.Throws<ArgumentException>(() => NabScorer.ScoreFile(new NabFileInput("e.csv", ts, new double[100], []), NabProfile.Standard, double.NaN));
        Assert.Throws<ArgumentException>(() => NabScorer.ScoreFile(new NabFileInput("e.csv", ts, new double[100], []), NabProfile.Standard with { FalsePositiveWeight = -1 }, 0.5));
    }
}
