namespace Workbench.Evaluation.Metrics;

/// <summary>
/// Confusion counts of a flag decision against ground-truth labels, with the precision, recall and F1 they give.
/// Counts are numbers of points (rows); ratios lie in [0, 1].
/// </summary>
/// <remarks>
/// Zero-division convention (the same as scikit-learn with <c>zero_division=0</c>): precision is 0 when nothing is
/// flagged, recall is 0 when there is no labelled point, and F1 = 2·TP / (2·TP + FP + FN) is 0 when that denominator
/// is 0. So a series without anomalies on which nothing is flagged scores 0, not 1 or NaN.
/// </remarks>
/// <param name="TruePositives">Labelled points that are flagged.</param>
/// <param name="FalsePositives">Normal points that are flagged.</param>
/// <param name="FalseNegatives">Labelled points that are not flagged.</param>
/// <param name="TrueNegatives">Normal points that are not flagged.</param>
public sealed record PointScores(long TruePositives, long FalsePositives, long FalseNegatives, long TrueNegatives)
{
    /// <summary>TP / (TP + FP); 0 when nothing is flagged.</summary>
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary>TP / (TP + FN); 0 when nothing is labelled.</summary>
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>Harmonic mean of precision and recall, computed as 2·TP / (2·TP + FP + FN); 0 when TP = FP = FN = 0.</summary>
    public double F1 => Ratio(2 * TruePositives, (2 * TruePositives) + FalsePositives + FalseNegatives);

    /// <summary>All points counted.</summary>
    public long Total => TruePositives + FalsePositives + FalseNegatives + TrueNegatives;

    internal static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
