using Workbench.Import;
using Workbench.Operators.Detection;

namespace Workbench.Evaluation.Nab;

/// <summary>
/// One detector's NAB result under every scored profile.
/// </summary>
/// <param name="Detector">The detector's name: its spec string (run mode) or the results-file prefix (results mode).</param>
/// <param name="Profiles">One corpus score per profile, in the order the profiles were given (normally <see cref="NabProfile.All"/>).</param>
public sealed record NabDetectorScore(string Detector, IReadOnlyList<NabCorpusScore> Profiles);

/// <summary>
/// Runs detectors over a NAB corpus and scores them (<c>nab-scoring.md</c>): every file is replayed on its own through a
/// fresh detector kernel, row by row in file order; the kernel's score is the row's <c>anomaly_score</c>, and a null
/// score (no opinion, e.g. during warm-up or on a missing value) counts as 0. Rx-free; files are processed in parallel,
/// each into its own slot, so results do not depend on scheduling.
/// </summary>
public static class NabRun
{
    /// <summary>The anomaly score of every row of <paramref name="file"/> from a fresh kernel of <paramref name="detector"/> (null → 0).</summary>
    public static double[] ScoreFile(IDetector detector, NabFile file)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(file);
        var kernel = detector.CreateKernel();
        var timestamps = file.Timestamps;
        var values = file.Values;
        var scores = new double[timestamps.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = kernel.Update(timestamps[i], values[i]) ?? 0.0;
        }

        return scores;
    }

    /// <summary>
    /// Scores every file with every detector (each (detector, file) pair on its own, in parallel) and returns, per detector in
    /// input order, the NAB inputs in <paramref name="files"/> order.
    /// </summary>
    /// <param name="detectors">The detectors; a spec may appear more than once.</param>
    /// <param name="files">The corpus files, e.g. <see cref="NabCorpus.Files"/>.</param>
    /// <param name="maxDegreeOfParallelism">Worker count; −1 (default) lets the runtime use every core.</param>
    /// <param name="cancellationToken">Stops the run between files.</param>
    public static IReadOnlyList<NabFileInput[]> Run(
        IReadOnlyList<IDetector> detectors,
        IReadOnlyList<NabFile> files,
        int maxDegreeOfParallelism = -1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(detectors);
        ArgumentNullException.ThrowIfNull(files);
        var result = new NabFileInput[detectors.Count][];
        for (var d = 0; d < result.Length; d++)
        {
            ArgumentNullException.ThrowIfNull(detectors[d], nameof(detectors));
            result[d] = new NabFileInput[files.Count];
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, detectors.Count * files.Count, options, job =>
        {
            var d = job / files.Count;
            var f = job % files.Count;
            var file = files[f];
            result[d][f] = new NabFileInput(file.Key, file.Timestamps, ScoreFile(detectors[d], file), file.Windows);
        });
        return result;
    }

    /// <summary>
    /// Runs each detector over the corpus and scores it under <paramref name="profiles"/> (default <see cref="NabProfile.All"/>),
    /// the threshold optimised per profile by <paramref name="search"/> (default the exhaustive sweep of section 8.1; either
    /// way an oracle: tuned on the labels).
    /// </summary>
    public static IReadOnlyList<NabDetectorScore> Evaluate(
        IReadOnlyList<IDetector> detectors,
        IReadOnlyList<NabFile> files,
        IReadOnlyList<NabProfile>? profiles = null,
        int maxDegreeOfParallelism = -1,
        CancellationToken cancellationToken = default,
        NabThresholdSearch search = NabThresholdSearch.Sweep)
    {
        var inputs = Run(detectors, files, maxDegreeOfParallelism, cancellationToken);
        var result = new NabDetectorScore[inputs.Count];
        for (var d = 0; d < result.Length; d++)
        {
            result[d] = Score(detectors[d].Spec, inputs[d], profiles, search: search);
        }

        return result;
    }

    /// <summary>
    /// Scores one detector's corpus under <paramref name="profiles"/> (default <see cref="NabProfile.All"/>): at the given
    /// threshold per profile name when <paramref name="thresholds"/> is given, otherwise optimised per profile by
    /// <paramref name="search"/> (default the exhaustive sweep).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="thresholds"/> lacks a profile, or the scorer rejects the input (message names the file).</exception>
    public static NabDetectorScore Score(
        string detector,
        IReadOnlyList<NabFileInput> files,
        IReadOnlyList<NabProfile>? profiles = null,
        IReadOnlyDictionary<string, double>? thresholds = null,
        NabThresholdSearch search = NabThresholdSearch.Sweep)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(detector);
        ArgumentNullException.ThrowIfNull(files);
        profiles ??= NabProfile.All;
        double[]? fixedThresholds = null;
        if (thresholds is not null)
        {
            fixedThresholds = new double[profiles.Count];
            for (var p = 0; p < profiles.Count; p++)
            {
                if (!thresholds.TryGetValue(profiles[p].Name, out fixedThresholds[p]))
                {
                    throw new ArgumentException($"NAB: no threshold given for detector '{detector}', profile '{profiles[p].Name}'", nameof(thresholds));
                }
            }
        }

        return new NabDetectorScore(detector, NabScorer.ScoreCorpus(files, profiles, fixedThresholds, search));
    }
}
