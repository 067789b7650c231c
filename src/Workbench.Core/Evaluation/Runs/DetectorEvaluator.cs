using Workbench.Data;
using Workbench.Evaluation.Breakdown;
using Workbench.Evaluation.Metrics;
using Workbench.Evaluation.Thresholds;
using Workbench.Operators.Detection;

namespace Workbench.Evaluation.Runs;

/// <summary>
/// Runs detectors over a labelled dataset and computes every metric of docs/METRICS.md for each: the single
/// evaluation path behind <c>workbench evaluate</c>, the leaderboards and the notebooks.
/// </summary>
/// <remarks>
/// Each series is scored on its own with a fresh detector kernel (state never crosses series), through the kernel's
/// batch path, which gives the same scores as the streaming operator. Metrics pool all series of the dataset.
/// The work is split into (detector × series) items: detectors run in parallel, and when there are fewer detectors than
/// workers each detector's series are scored in parallel too. Every item is a pure function of its detector spec and its
/// series, and results are placed by index, so they do not depend on the degree of parallelism or the scheduling order
/// (a test compares the leaderboard files byte for byte for 1, 2 and 4 workers).
/// </remarks>
public static class DetectorEvaluator
{
    /// <summary>Scores every series of <paramref name="data"/> with <paramref name="detector"/> (fresh state per series).</summary>
    /// <returns><c>scores[s][i]</c> for row <c>i</c> of series <c>s</c>; null where the detector gives no score.</returns>
    public static double?[][] Score(IDetector detector, LabeledSeriesSet data, CancellationToken ct = default) =>
        Score(detector, data, 1, ct);

    /// <summary>As <see cref="Score(IDetector, LabeledSeriesSet, CancellationToken)"/>, the series scored by up to <paramref name="workers"/> in parallel (same result).</summary>
    public static double?[][] Score(IDetector detector, LabeledSeriesSet data, int workers, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        var result = new double?[data.Series.Count][];
        void ScoreSeries(int s)
        {
            ct.ThrowIfCancellationRequested();
            var series = data.Series[s];
            var scores = new double?[series.Count];
            detector.CreateKernel().UpdateBatch(series.Timestamps, series.Values, scores);
            result[s] = scores;
        }

        if (workers == 1 || result.Length < 2)
        {
            for (var s = 0; s < result.Length; s++)
            {
                ScoreSeries(s);
            }
        }
        else
        {
            Parallel.For(0, result.Length, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = ct }, ScoreSeries);
        }

        return result;
    }

    /// <summary>Scores <paramref name="data"/> with each detector and measures it; results in the detectors' order.</summary>
    /// <param name="data">The labelled dataset.</param>
    /// <param name="detectors">The detectors.</param>
    /// <param name="options">Threshold strategy and metric options; null = defaults.</param>
    /// <param name="progress">Reports the number of detectors finished so far.</param>
    /// <param name="ct">Stops the run.</param>
    public static IReadOnlyList<DetectorEvaluation> Evaluate(
        LabeledSeriesSet data,
        IReadOnlyList<IDetector> detectors,
        EvaluationOptions? options = null,
        IProgress<int>? progress = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(detectors);
        options ??= new EvaluationOptions();
        options.Validate();
        var truth = GroundTruth.Of(data);
        var result = new DetectorEvaluation[detectors.Count];
        var done = 0;
        var workers = options.MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : options.MaxDegreeOfParallelism;
        var perDetector = Math.Max(1, workers / Math.Max(1, detectors.Count)); // few detectors: split their series too
        Parallel.For(
            0,
            detectors.Count,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = ct },
            d =>
            {
                var detector = detectors[d] ?? throw new ArgumentException($"Detector {d} is null.", nameof(detectors));
                result[d] = Measure(data, truth, detector, Score(detector, data, perDetector, ct), options);
                progress?.Report(Interlocked.Increment(ref done));
            });
        return result;
    }

    /// <summary>Measures scores already computed (for example read from a results file) as if from <paramref name="detector"/>.</summary>
    /// <param name="data">The labelled dataset the scores belong to.</param>
    /// <param name="detector">Gives the name, spec and fixed threshold.</param>
    /// <param name="scores"><c>scores[s][i]</c> per series and row of <paramref name="data"/>.</param>
    /// <param name="options">Threshold strategy and metric options; null = defaults.</param>
    public static DetectorEvaluation Measure(LabeledSeriesSet data, IDetector detector, IReadOnlyList<double?[]> scores, EvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(detector);
        options ??= new EvaluationOptions();
        options.Validate();
        return Measure(data, GroundTruth.Of(data), detector, scores, options);
    }

    /// <summary>Like the public <c>Measure</c>, with the dataset's ground truth extracted once by the caller.</summary>
    internal static DetectorEvaluation Measure(
        LabeledSeriesSet data, GroundTruth truth, IDetector detector, IReadOnlyList<double?[]> scores, EvaluationOptions options)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count != data.Series.Count)
        {
            throw new ArgumentException($"scores has {scores.Count} series but dataset '{data.Name}' has {data.Series.Count}.", nameof(scores));
        }

        // NaN scores are no scores (not counted as scored), ±∞ are ±double.MaxValue: see ScorePolicy.
        scores = ScorePolicy.Clean(scores);
        var strategy = options.Threshold ?? new FixedThreshold(detector.Threshold);
        var applied = strategy.Apply(scores, truth.IsAnomaly);
        var flags = applied.Flags;
        long rows = 0, scored = 0;
        foreach (var sc in scores)
        {
            rows += sc.Length;
            foreach (var v in sc) { if (v.HasValue) { scored++; } }
        }

        var point = PointMetrics.Compute(truth.IsAnomaly, flags);
        var adjusted = PointMetrics.PointAdjusted(truth.IsAnomaly, truth.EventIds, flags);
        var range = RangeMetrics.Compute(truth.IsAnomaly, truth.EventIds, flags, options.Range);
        var vus = VusMetrics.Compute(truth.IsAnomaly, scores, options.Vus);
        var affiliation = AffiliationMetrics.Compute(truth.IsAnomaly, flags);
        var kinds = KindBreakdownCalculator.Compute(truth.Labels, flags, truth.Timestamps);
        var events = kinds.Overall;
        var oracle = new BestF1Threshold().Apply(scores, truth.IsAnomaly);
        var oracleF1 = PointMetrics.Compute(truth.IsAnomaly, oracle.Flags).F1;

        var byKind = new SortedDictionary<string, KindEvaluation>(StringComparer.Ordinal);
        foreach (var (kind, k) in kinds.ByKind)
        {
            byKind.Add(kind, new KindEvaluation(k.EventCount, k.DetectedCount, k.Recall, k.MeanDelayRows, k.MeanDelay?.TotalSeconds));
        }

        return new DetectorEvaluation(
            data.Name,
            detector.Spec,
            detector.Name,
            applied.Strategy,
            applied.Threshold,
            applied.IsOracle,
            rows,
            scored,
            applied.FlaggedCount,
            point.Precision,
            point.Recall,
            point.F1,
            RankingMetrics.RocAuc(truth.IsAnomaly, scores),
            RankingMetrics.AveragePrecision(truth.IsAnomaly, scores),
            adjusted.Precision,
            adjusted.Recall,
            adjusted.F1,
            range.Precision,
            range.Recall,
            range.F1,
            Defined(vus.Roc),
            Defined(vus.Pr),
            Defined(affiliation.Precision),
            Defined(affiliation.Recall),
            events.EventCount,
            events.DetectedCount,
            events.Recall,
            events.MeanDelayRows,
            events.MedianDelayRows,
            events.MeanDelay?.TotalSeconds,
            events.FalseAlarmsPer1000Normal,
            events.FalseAlarmsPerDay,
            oracleF1,
            oracle.Threshold,
            byKind.AsReadOnly());
    }

    private static double? Defined(double v) => double.IsNaN(v) ? null : v;

    /// <summary>The label columns of a dataset, extracted once and shared (read-only) by every detector's measurement.</summary>
    internal sealed class GroundTruth
    {
        private GroundTruth(LabeledSeriesSet data)
        {
            var n = data.Series.Count;
            IsAnomaly = new bool[n][];
            Labels = new Core.AnomalyLabel[n][];
            Timestamps = new DateTime[n][];
            var ids = new int?[n][];
            var anyId = false;
            for (var s = 0; s < n; s++)
            {
                var series = data.Series[s];
                IsAnomaly[s] = series.IsAnomaly;
                Labels[s] = series.Labels;
                Timestamps[s] = series.Timestamps;
                ids[s] = series.EventIds;
                anyId |= series.HasEventIds;
            }

            EventIds = anyId ? ids : null;
        }

        public bool[][] IsAnomaly { get; }

        public int?[][]? EventIds { get; }

        public Core.AnomalyLabel[][] Labels { get; }

        public DateTime[][] Timestamps { get; }

        public static GroundTruth Of(LabeledSeriesSet data) => new(data);
    }
}
