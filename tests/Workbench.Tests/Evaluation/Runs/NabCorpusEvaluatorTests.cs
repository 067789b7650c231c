using Workbench.Evaluation.Nab;
using Workbench.Evaluation.Runs;
using Workbench.Import;
using Workbench.Operators.Specs;
using Workbench.Tests.Support;

namespace Workbench.Tests.Evaluation.Runs;

public class NabCorpusEvaluatorTests
{
    [SkippableFact]
    public void Evaluate_RealCorpus_NabScoresEqualNabRun_AndMetricsEqualTheSeriesSetPath()
    {
        var corpus = NabCorpus.Load(TestPaths.RequireNab());
        var detectors = new[] { "windowed-gaussian", "random" }.Select(OperatorCatalog.BuiltIn.ParseDetector).ToList();

        var combined = NabCorpusEvaluator.Evaluate(corpus, detectors);
        var nab = NabRun.Evaluate(detectors, corpus.Files);
        var general = DetectorEvaluator.Evaluate(corpus.ToSeriesSet(), detectors);

        for (var d = 0; d < detectors.Count; d++)
        {
            var r = combined[d];
            Assert.NotNull(r.Nab);
            foreach (var p in nab[d].Profiles)
            {
                Assert.Equal(p.NormalizedScore, r.Nab.Scores[p.Profile.Name]);
                Assert.Equal(p.Threshold, r.Nab.Thresholds[p.Profile.Name]);
            }

            // Same rows, same labels; the scores differ only where NAB's file order differs from time order (22 rows of
            // one file), so the point counts and event figures agree and the ranking metrics nearly so.
            var g = general[d];
            Assert.Equal((g.Rows, g.Events), (r.Rows, r.Events));
            Assert.Equal(g.RocAuc, r.RocAuc, 3);
            Assert.Equal(g.F1, r.F1, 3);
        }

        Assert.Equal(40.13, combined[0].Nab!.Scores["standard"], 2); // windowed-gaussian, as recorded in docs/BENCHMARKS.md
        Assert.Equal(17.66, combined[1].Nab!.Scores["standard"], 2); // random
    }
}
