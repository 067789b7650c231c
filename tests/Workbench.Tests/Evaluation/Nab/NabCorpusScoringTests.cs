using Workbench.Evaluation.Nab;
using static Workbench.Tests.Evaluation.Nab.NabTestData;

namespace Workbench.Tests.Evaluation.Nab;

public class NabCorpusScoringTests
{
    /// <summary>A seeded corpus of files with 0-3 windows each and noisy scores that are higher near windows.</summary>
    private static List<NabFileInput> RandomCorpus(int seed, int files, int levels)
    {
        var random = new Random(seed);
        var corpus = new List<NabFileInput>();
        for (var f = 0; f < files; f++)
        {
            var n = random.Next(300, 1500);
            var p = NabScorer.ProbationaryRows(n);
            var windows = new List<(int, int)>();
            var cursor = p + random.Next(0, 50);
            var count = f % 4;
            for (var w = 0; w < count && cursor + 60 < n; w++)
            {
                var width = random.Next(1, 60);
                windows.Add((cursor, cursor + width - 1));
                cursor += width + random.Next(1, 200);
            }

            var ts = Timestamps(n);
            var scores = new double[n];
            for (var i = 0; i < n; i++)
            {
                scores[i] = Math.Round(random.NextDouble() * levels) / levels;
            }

            foreach (var (l, r) in windows)
            {
                for (var i = l; i <= r; i++)
                {
                    scores[i] = Math.Min(1.0, scores[i] + (random.NextDouble() < 0.3 ? 0.5 : 0.0));
                }
            }

            corpus.Add(new NabFileInput($"file{f}", ts, scores, Windows(ts, [.. windows])));
        }

        return corpus;
    }

    // nab-scoring.md section 8.1: the sweep is the global optimum over every distinct score, ties keep the higher θ.
    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 1000)]
    [InlineData(3, 3)]
    public void ScoreCorpus_Sweep_EqualsBruteForceOverEveryDistinctScore(int seed, int levels)
    {
        var corpus = RandomCorpus(seed, 24, levels);
        var candidates = new SortedSet<double>(Comparer<double>.Create((a, b) => b.CompareTo(a))) { NabScorer.NoDetectionThreshold };
        foreach (var file in corpus)
        {
            for (var i = NabScorer.ProbationaryRows(file.Scores.Length); i < file.Scores.Length; i++)
            {
                candidates.Add(file.Scores[i]);
            }
        }

        foreach (var profile in NabProfile.All)
        {
            var bestTheta = double.NaN;
            var best = double.NegativeInfinity;
            foreach (var theta in candidates)
            {
                var s = 0.0;
                foreach (var file in corpus)
                {
                    s += NabScorer.ScoreFile(file, profile, theta).RawScore;
                }

                if (s > best + 1e-9)
                {
                    best = s;
                    bestTheta = theta;
                }
            }

            var swept = NabScorer.ScoreCorpus(corpus, profile);
            Assert.True(swept.Optimized);
            Assert.Equal(bestTheta, swept.Threshold);
            Assert.Equal(best, swept.RawScore, 9);
        }
    }

    [Fact]
    public void ScoreCorpus_AllProfilesAtOnce_EqualsOneByOne_AndIsRepeatable()
    {
        var corpus = RandomCorpus(7, 30, 100);
        var all = NabScorer.ScoreCorpus(corpus, NabProfile.All);
        var again = NabScorer.ScoreCorpus(corpus, NabProfile.All);
        for (var k = 0; k < 3; k++)
        {
            var single = NabScorer.ScoreCorpus(corpus, NabProfile.All[k]);
            Assert.Equal(single, all[k] with { Files = single.Files });
            Assert.Equal(single.Files, all[k].Files);
            Assert.Equal(all[k].RawScore, again[k].RawScore);
            Assert.Equal(all[k].Threshold, again[k].Threshold);
            Assert.Same(NabProfile.All[k], all[k].Profile);
        }

        var fixedAt = NabScorer.ScoreCorpus(corpus, NabProfile.All, [all[0].Threshold, all[1].Threshold, all[2].Threshold]);
        for (var k = 0; k < 3; k++)
        {
            Assert.False(fixedAt[k].Optimized);
            Assert.Equal(all[k].RawScore, fixedAt[k].RawScore);
        }
    }

    [Fact]
    public void ScoreCorpus_PerfectDetector_Scores100_UnderEveryProfile()
    {
        var corpus = RandomCorpus(11, 20, 10);
        var perfect = new List<NabFileInput>();
        foreach (var file in corpus)
        {
            var scores = new double[file.Scores.Length];
            foreach (var w in file.Windows)
            {
                scores[Array.IndexOf(file.Timestamps, w.Start)] = 1.0;
            }

            perfect.Add(file with { Scores = scores });
        }

        foreach (var result in NabScorer.ScoreCorpus(perfect, NabProfile.All))
        {
            Assert.Equal(100.0, result.NormalizedScore, 9);
            Assert.Equal(1.0, result.Threshold);
        }
    }

    // nab-scoring.md section 9: the null detector outputs 0.5 everywhere; its optimal threshold detects nothing.
    [Fact]
    public void ScoreCorpus_NullDetector_Scores0_UnderEveryProfile()
    {
        var corpus = RandomCorpus(12, 20, 10);
        var nullDetector = corpus.ConvertAll(f =>
        {
            var scores = new double[f.Scores.Length];
            Array.Fill(scores, 0.5);
            return f with { Scores = scores };
        });

        foreach (var result in NabScorer.ScoreCorpus(nullDetector, NabProfile.All))
        {
            Assert.Equal(0.0, result.NormalizedScore);
            Assert.Equal(NabScorer.NoDetectionThreshold, result.Threshold);
            Assert.Equal(result.NullScore, result.RawScore);
        }
    }

    [Fact]
    public void ScoreCorpus_AlarmsEverywhere_ScoresBelowZero_NotClipped()
    {
        var corpus = RandomCorpus(13, 12, 10).ConvertAll(f =>
        {
            var scores = new double[f.Scores.Length];
            Array.Fill(scores, 1.0);
            return f with { Scores = scores };
        });

        var result = NabScorer.ScoreCorpus(corpus, NabProfile.Standard, 0.5);
        Assert.True(result.NormalizedScore < 0);
    }

    [Fact]
    public void ScoreCorpus_PermutationOfFiles_DoesNotChangeScores()
    {
        var corpus = RandomCorpus(21, 30, 50);
        var reversed = new List<NabFileInput>(corpus);
        reversed.Reverse();
        var shuffled = new List<NabFileInput>(corpus);
        new Random(5).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(shuffled));

        var baseline = NabScorer.ScoreCorpus(corpus, NabProfile.All);
        foreach (var other in new[] { reversed, shuffled })
        {
            var permuted = NabScorer.ScoreCorpus(other, NabProfile.All);
            for (var k = 0; k < 3; k++)
            {
                Assert.Equal(baseline[k].Threshold, permuted[k].Threshold);
                Assert.Equal(baseline[k].RawScore, permuted[k].RawScore, 9);
                Assert.Equal(baseline[k].NormalizedScore, permuted[k].NormalizedScore, 9);
            }
        }
    }

    [Fact]
    public void ScoreCorpus_TiesKeepHigherThreshold()
    {
        // One window [500, 599], n = 1000. θ = 0.9 detects row 500 (S = 1); θ = 0.7 adds row 550 in the same window,
        // which adds nothing (S = 1 again): a tie, so the higher θ is kept. θ = 0 adds false alarms (worse).
        var ts = Timestamps(1000);
        var scores = new double[1000];
        scores[500] = 0.9;
        scores[550] = 0.7;
        var file = new NabFileInput("f", ts, scores, Windows(ts, (500, 599)));
        var result = NabScorer.ScoreCorpus([file], NabProfile.Standard);
        Assert.Equal(0.9, result.Threshold);
        Assert.Equal(100.0, result.NormalizedScore, 12);
    }

    [Fact]
    public void ScoreCorpus_NoCountedWindow_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => NabScorer.ScoreCorpus([File("quiet", 100, [])], NabProfile.Standard));
        Assert.Contains("normalised score is undefined", ex.Message);
        Assert.Throws<ArgumentException>(() => NabScorer.ScoreCorpus([File("f", 1000, [(500, 510)])], NabProfile.All, [0.5]));

        // A non-finite score is no longer an error (ScorePolicy: +inf = double.MaxValue); a bad file is still named.
        var ts = Timestamps(1000);
        var inf = new double[1000];
        inf[777] = double.PositiveInfinity;
        var files = new[] { File("good.csv", 1000, [(500, 510)]), new NabFileInput("inf.csv", ts, inf, []), new NabFileInput("worse.csv", ts, new double[3], []) };
        var first = Assert.Throws<ArgumentException>(() => NabScorer.ScoreCorpus(files, NabProfile.Standard));
        Assert.Contains("worse.csv", first.Message);
        Assert.True(double.IsFinite(NabScorer.ScoreCorpus(files[..2], NabProfile.Standard).NormalizedScore));
    }
}
