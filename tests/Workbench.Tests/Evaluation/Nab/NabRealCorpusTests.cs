using Workbench.Evaluation.Nab;
using Workbench.Import;
using Workbench.Tests.Support;

namespace Workbench.Tests.Evaluation.Nab;

public class NabRealCorpusTests
{
    private static List<NabFileInput> Inputs(NabCorpus corpus, Func<NabFile, double[]> scores) =>
        corpus.Files.Select(f => new NabFileInput(f.Key, f.Timestamps, scores(f), f.Windows)).ToList();

    // nab-scoring.md sections 1, 3 and 9 on the real corpus: 332,842 scorable rows, 116 counted windows;
    // S_null = -116 A_FN, S_perfect = 116 A_TP; a perfect detector scores 100 and the null detector 0.
    [SkippableFact]
    public void ScoreCorpus_RealCorpus_Counts_PerfectAndNullDetectors()
    {
        var corpus = NabCorpus.Load(TestPaths.RequireNab());
        var scorable = corpus.Files.Sum(f => f.Count - NabScorer.ProbationaryRows(f.Count));
        Assert.Equal(332_842, scorable);

        var perfect = NabScorer.ScoreCorpus(Inputs(corpus, f =>
        {
            var s = new double[f.Count];
            foreach (var w in f.Windows)
            {
                s[Array.IndexOf(f.Timestamps, w.Start)] = 1.0;
            }

            return s;
        }), NabProfile.All);
        var nullDetector = NabScorer.ScoreCorpus(Inputs(corpus, f =>
        {
            var s = new double[f.Count];
            Array.Fill(s, 0.5);
            return s;
        }), NabProfile.All);

        for (var k = 0; k < 3; k++)
        {
            var profile = NabProfile.All[k];
            Assert.Equal(-116 * profile.FalseNegativeWeight, perfect[k].NullScore);
            Assert.Equal(116 * profile.TruePositiveWeight, perfect[k].PerfectScore);
            Assert.Equal(100.0, perfect[k].NormalizedScore, 9);
            Assert.Equal(0.0, nullDetector[k].NormalizedScore);
            Assert.Equal(NabScorer.NoDetectionThreshold, nullDetector[k].Threshold);
            Assert.Equal(116, perfect[k].Files.Sum(f => f.WindowCount));
        }

        // At θ = 0.5 the null detector flags every scorable row: every window is hit on its first scorable row.
        var everything = NabScorer.ScoreCorpus(Inputs(corpus, f =>
        {
            var s = new double[f.Count];
            Array.Fill(s, 0.5);
            return s;
        }), NabProfile.Standard, 0.5);
        Assert.Equal(scorable, everything.Files.Sum(f => f.TruePositives + f.FalsePositives));
        Assert.True(everything.NormalizedScore < 0);
    }
}
