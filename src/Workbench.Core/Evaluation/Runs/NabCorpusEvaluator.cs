using Workbench.Evaluation.Nab;
using Workbench.Import;
using Workbench.Operators.Detection;

namespace Workbench.Evaluation.Runs;

/// <summary>
/// Evaluates detectors on the NAB corpus with every metric at once: the general metrics of <see cref="DetectorEvaluator"/>
/// on <see cref="NabSeriesSet.ToSeriesSet"/> and the NAB score of each profile (<see cref="NabRun"/>, exhaustive threshold
/// sweep), both from one run of each detector over each file.
/// </summary>
/// <remarks>
/// Each file is scored on its own, in NAB's file order, with a fresh kernel — exactly what <see cref="NabRun"/> scores. The
/// general metrics see the same per-row scores rearranged into time order (<see cref="NabSeriesSet.TimeOrder"/>; this moves
/// only the 22 rows of the corpus that go back in time). A missing score counts as 0 for NAB and as "no score" for the
/// general metrics. Work runs in parallel over (detector, file) pairs, then over detectors.
/// </remarks>
public static class NabCorpusEvaluator
{
    /// <summary>Evaluates each detector; results in the detectors' order, each with <see cref="DetectorEvaluation.Nab"/> set.</summary>
    /// <param name="corpus">The loaded NAB corpus.</param>
    /// <param name="detectors">The detectors.</param>
    /// <param name="options">Threshold strategy (for the general metrics; NAB always sweeps) and metric options.</param>
    /// <param name="progress">Reports work items finished: one per (detector, file) pair, then one per detector.</param>
    /// <param name="ct">Stops the run.</param>
    public static IReadOnlyList<DetectorEvaluation> Evaluate(
        NabCorpus corpus,
        IReadOnlyList<IDetector> detectors,
        EvaluationOptions? options = null,
        IProgress<int>? progress = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(detectors);
        options ??= new EvaluationOptions();
        options.Validate();
        var files = corpus.Files;
        var set = corpus.ToSeriesSet();
        var truth = DetectorEvaluator.GroundTruth.Of(set);
        var orders = files.Select(NabSeriesSet.TimeOrder).ToArray();
        var nabInputs = new NabFileInput[detectors.Count][];
        var scores = new double?[detectors.Count][][];
        for (var d = 0; d < detectors.Count; d++)
        {
            ArgumentNullException.ThrowIfNull(detectors[d], nameof(detectors));
            nabInputs[d] = new NabFileInput[files.Count];
            scores[d] = new double?[files.Count][];
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = ct };
        var done = 0;

        // Longest files first, so that the two cores finish together.
        var jobs = Enumerable.Range(0, detectors.Count * files.Count).OrderByDescending(j => files[j % files.Count].Count).ToArray();
        Parallel.ForEach(jobs, parallel, job =>
        {
            var d = job / files.Count;
            var f = job % files.Count;
            var file = files[f];
            var raw = new double?[file.Count];
            detectors[d].CreateKernel().UpdateBatch(file.Timestamps, Array.ConvertAll(file.Values, v => (double?)v), raw);
            var forNab = new double[raw.Length];
            var timeOrdered = new double?[raw.Length];
            var order = orders[f];
            for (var i = 0; i < raw.Length; i++)
            {
                forNab[i] = raw[i] ?? 0.0;
                timeOrdered[i] = raw[order[i]];
            }

            nabInputs[d][f] = new NabFileInput(file.Key, file.Timestamps, forNab, file.Windows);
            scores[d][f] = timeOrdered;
            progress?.Report(Interlocked.Increment(ref done));
        });

        var result = new DetectorEvaluation[detectors.Count];
        Parallel.For(0, detectors.Count, parallel, d =>
        {
            var nab = NabRun.Score(detectors[d].Spec, nabInputs[d]);
            var evaluation = DetectorEvaluator.Measure(set, truth, detectors[d], scores[d], options);
            result[d] = evaluation with
            {
                Nab = new NabEvaluation(
                    nab.Profiles.ToDictionary(p => p.Profile.Name, p => p.NormalizedScore, StringComparer.Ordinal).AsReadOnly(),
                    nab.Profiles.ToDictionary(p => p.Profile.Name, p => p.Threshold, StringComparer.Ordinal).AsReadOnly()),
            };
            progress?.Report(Interlocked.Increment(ref done));
        });
        return result;
    }
}
