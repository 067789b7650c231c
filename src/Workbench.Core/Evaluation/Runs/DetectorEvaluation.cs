namespace Workbench.Evaluation.Runs;

/// <summary>
/// Every metric of one detector on one dataset, pooled over the dataset's series (see docs/METRICS.md for each
/// definition). Property names are the JSON keys in camelCase (<c>precision</c>, <c>rocAuc</c>, <c>byKind</c>…).
/// </summary>
/// <param name="Dataset">The dataset's name.</param>
/// <param name="Detector">The detector's canonical spec, e.g. <c>zscore(window=288,threshold=4,min-std=1e-09)</c>.</param>
/// <param name="Name">The detector's short name, e.g. <c>zscore</c>.</param>
/// <param name="ThresholdStrategy">How the flags were made, e.g. <c>fixed(4)</c> or <c>best-f1 (oracle)</c>.</param>
/// <param name="Threshold">The score threshold used (a flag is <c>score ≥ threshold</c>).</param>
/// <param name="ThresholdIsOracle">True when the threshold was chosen from these labels: then every flag-based figure is an oracle result.</param>
/// <param name="Rows">Rows evaluated.</param>
/// <param name="Scored">Rows with a score (the rest are warm-up or missing values).</param>
/// <param name="Flagged">Rows flagged.</param>
/// <param name="Precision">Point-wise precision.</param>
/// <param name="Recall">Point-wise recall.</param>
/// <param name="F1">Point-wise F1.</param>
/// <param name="RocAuc">Area under the ROC curve from the scores (rows without a score rank lowest).</param>
/// <param name="PrAuc">Average precision from the scores.</param>
/// <param name="PointAdjustedPrecision">Point-adjusted precision — optimistic.</param>
/// <param name="PointAdjustedRecall">Point-adjusted recall — optimistic.</param>
/// <param name="PointAdjustedF1">Point-adjusted F1 — optimistic: a whole event counts as found when any of its points is flagged.</param>
/// <param name="RangePrecision">Range-based precision (Tatbul et al. 2018).</param>
/// <param name="RangeRecall">Range-based recall (Tatbul et al. 2018).</param>
/// <param name="RangeF1">Harmonic mean of the range-based precision and recall.</param>
/// <param name="VusRoc">Volume under the range-ROC surface (Paparrizos et al. 2022, <see cref="Metrics.VusMetrics"/> defaults); null when undefined (no labelled or no normal point).</param>
/// <param name="VusPr">Volume under the range-PR surface; null when undefined.</param>
/// <param name="AffiliationPrecision">Affiliation precision (Huet et al. 2022) of the flags; null when no zone holds a flag.</param>
/// <param name="AffiliationRecall">Affiliation recall of the flags; null when there is no event.</param>
/// <param name="Events">Labelled events.</param>
/// <param name="EventsDetected">Events with at least one flagged point.</param>
/// <param name="EventRecall">Share of events detected.</param>
/// <param name="MeanDelay">Mean detection delay in rows, from an event's first point to its first flagged point; null when none was detected.</param>
/// <param name="MedianDelay">Median detection delay in rows.</param>
/// <param name="MeanDelaySeconds">Mean detection delay in seconds.</param>
/// <param name="FalseAlarmsPer1k">Flagged normal points per 1,000 normal points.</param>
/// <param name="FalseAlarmsPerDay">Flagged normal points per day of observed time.</param>
/// <param name="OracleF1">Point-wise F1 at the best threshold for these labels — an oracle result, never a fair comparison.</param>
/// <param name="OracleThreshold">The threshold giving <paramref name="OracleF1"/>.</param>
/// <param name="ByKind">Event recall and delay per anomaly kind, keyed by kind name.</param>
/// <param name="Nab">NAB scores when the dataset is the NAB corpus (see <c>workbench evaluate --nab</c>); otherwise null.</param>
public sealed record DetectorEvaluation(
    string Dataset,
    string Detector,
    string Name,
    string ThresholdStrategy,
    double Threshold,
    bool ThresholdIsOracle,
    long Rows,
    long Scored,
    long Flagged,
    double Precision,
    double Recall,
    double F1,
    double RocAuc,
    double PrAuc,
    double PointAdjustedPrecision,
    double PointAdjustedRecall,
    double PointAdjustedF1,
    double RangePrecision,
    double RangeRecall,
    double RangeF1,
    double? VusRoc,
    double? VusPr,
    double? AffiliationPrecision,
    double? AffiliationRecall,
    int Events,
    int EventsDetected,
    double EventRecall,
    double? MeanDelay,
    double? MedianDelay,
    double? MeanDelaySeconds,
    double FalseAlarmsPer1k,
    double? FalseAlarmsPerDay,
    double OracleF1,
    double OracleThreshold,
    IReadOnlyDictionary<string, KindEvaluation> ByKind,
    NabEvaluation? Nab = null);

/// <summary>One anomaly kind's part of a <see cref="DetectorEvaluation"/>.</summary>
/// <param name="Events">Events of this kind.</param>
/// <param name="Detected">Events of this kind with at least one flagged point.</param>
/// <param name="Recall">Share detected.</param>
/// <param name="MeanDelay">Mean delay in rows of the detected ones; null when none.</param>
/// <param name="MeanDelaySeconds">Mean delay in seconds; null when none.</param>
public sealed record KindEvaluation(int Events, int Detected, double Recall, double? MeanDelay, double? MeanDelaySeconds);

/// <summary>
/// The NAB score of a detector on the NAB corpus, per profile, at thresholds optimised on the corpus labels by NAB's
/// exhaustive sweep (so, like every tuned threshold, an oracle figure; see docs/METRICS.md).
/// </summary>
/// <param name="Scores">Profile name (<c>standard</c>, <c>reward_low_FP_rate</c>, <c>reward_low_FN_rate</c>) → normalised score (0 = null detector, 100 = perfect).</param>
/// <param name="Thresholds">Profile name → the threshold used.</param>
public sealed record NabEvaluation(IReadOnlyDictionary<string, double> Scores, IReadOnlyDictionary<string, double> Thresholds);
