namespace Workbench.Evaluation.Metrics;

/// <summary>
/// Threshold-free metrics of continuous anomaly scores against boolean labels: ROC-AUC and average precision (the
/// PR-AUC). Pure functions; several series are pooled by concatenation (every point of every series is ranked together).
/// </summary>
/// <remarks>
/// Scores: higher means more anomalous. A null score (no score, e.g. during a detector's warm-up or on a missing value)
/// is treated as the lowest possible score, below every real score and tied with the other nulls; it is never dropped,
/// so a detector that stays silent is penalised rather than excused (a real −∞ score ties with null). NaN scores are
/// rejected.
/// Equal scores form one threshold (ties are handled exactly, never broken by order).
/// </remarks>
public static class RankingMetrics
{
    /// <summary>ROC-AUC of one series; see the multi-series overload.</summary>
    public static double RocAuc(bool[] labels, double?[] scores)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        return RocAuc([labels], [scores]);
    }

    /// <summary>
    /// Area under the ROC curve (true-positive rate against false-positive rate over all thresholds), by the
    /// trapezoidal rule over distinct score values: a group of tied scores adds a straight segment, i.e. counts each
    /// tied positive–negative pair as one half. Equals the probability that a random anomalous point scores above a
    /// random normal one (ties count ½). Range [0, 1]; 0.5 for uninformative scores. Same value as scikit-learn's
    /// <c>roc_auc_score</c>.
    /// </summary>
    /// <returns>The AUC, or <see cref="double.NaN"/> when the labels contain only one class (undefined; scikit-learn raises).</returns>
    /// <exception cref="ArgumentException">Series counts or lengths differ, or a score is NaN.</exception>
    public static double RocAuc(IReadOnlyList<bool[]> labels, IReadOnlyList<double?[]> scores)
    {
        var (keys, positive) = Rank(labels, scores);
        long totalPos = 0;
        for (var i = 0; i < positive.Length; i++) { if (positive[i]) { totalPos++; } }
        long totalNeg = positive.Length - totalPos;
        if (totalPos == 0 || totalNeg == 0) { return double.NaN; }

        // Walk the groups from the highest score down; each group adds fpGroup × (tpBefore + tpGroup / 2) to the
        // area counted in units of (1 / P) × (1 / N). Twice that area is kept as an exact integer until the end.
        long tp = 0;
        Int128 twiceArea = 0;
        var n = keys.Length;
        var j = n - 1;
        while (j >= 0)
        {
            long tpGroup = 0, fpGroup = 0;
            var key = keys[j];
            while (j >= 0 && keys[j] == key)
            {
                if (positive[j]) { tpGroup++; } else { fpGroup++; }
                j--;
            }

            twiceArea += (Int128)fpGroup * ((2 * tp) + tpGroup);
            tp += tpGroup;
        }

        return (double)twiceArea / (2.0 * totalPos * totalNeg);
    }

    /// <summary>Average precision of one series; see the multi-series overload.</summary>
    public static double AveragePrecision(bool[] labels, double?[] scores)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        return AveragePrecision([labels], [scores]);
    }

    /// <summary>
    /// Average precision, the PR-AUC as scikit-learn's <c>average_precision_score</c> defines it:
    /// AP = Σₙ (Rₙ − Rₙ₋₁) · Pₙ over the distinct score values taken as thresholds from the highest down (flag every
    /// point scoring ≥ the threshold), with R₀ = 0. No interpolation, so it is not the trapezoidal PR area (which is
    /// optimistic). Range [0, 1]; a random score gives about the share of anomalous points.
    /// </summary>
    /// <returns>The AP; 0 when no point is labelled (scikit-learn 1.2 returns 0 there too, with a warning).</returns>
    /// <exception cref="ArgumentException">Series counts or lengths differ, or a score is NaN.</exception>
    public static double AveragePrecision(IReadOnlyList<bool[]> labels, IReadOnlyList<double?[]> scores)
    {
        var (keys, positive) = Rank(labels, scores);
        long totalPos = 0;
        for (var i = 0; i < positive.Length; i++) { if (positive[i]) { totalPos++; } }
        if (totalPos == 0) { return 0; }

        long tp = 0, flagged = 0;
        double ap = 0;
        var j = keys.Length - 1;
        while (j >= 0)
        {
            long tpGroup = 0;
            var key = keys[j];
            while (j >= 0 && keys[j] == key)
            {
                if (positive[j]) { tpGroup++; }
                flagged++;
                j--;
            }

            if (tpGroup > 0)
            {
                tp += tpGroup;
                ap += ((double)tpGroup / totalPos) * ((double)tp / flagged);
            }
        }

        return ap;
    }

    /// <summary>
    /// Pools all points of all series, maps a null score to −∞, and sorts ascending by score with the labels carried along:
    /// the ranking every curve and area here is computed from (also what charts draw ROC/PR curves from).
    /// </summary>
    /// <exception cref="ArgumentException">Series counts or lengths differ, or a score is NaN.</exception>
    public static (double[] Keys, bool[] Positive) Rank(IReadOnlyList<bool[]> labels, IReadOnlyList<double?[]> scores)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        MetricInput.CheckSeriesCount(labels, scores, nameof(scores));
        var total = 0;
        for (var s = 0; s < labels.Count; s++)
        {
            var l = MetricInput.NotNull(labels, s, nameof(labels));
            MetricInput.CheckLength(l, MetricInput.NotNull(scores, s, nameof(scores)), s, nameof(scores));
            total += l.Length;
        }

        var keys = new double[total];
        var positive = new bool[total];
        var k = 0;
        for (var s = 0; s < labels.Count; s++)
        {
            var l = labels[s];
            var sc = scores[s];
            for (var i = 0; i < l.Length; i++)
            {
                var v = ScorePolicy.Clean(sc[i]);

                keys[k] = v ?? double.NegativeInfinity;
                positive[k] = l[i];
                k++;
            }
        }

        Array.Sort(keys, positive);
        return (keys, positive);
    }
}
