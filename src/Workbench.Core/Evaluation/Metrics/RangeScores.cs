namespace Workbench.Evaluation.Metrics;

/// <summary>Range-based precision, recall and F1 (Tatbul et al., NeurIPS 2018); see <see cref="RangeMetrics"/>. All in [0, 1].</summary>
/// <param name="Precision">Mean over predicted ranges of their cardinality-weighted, bias-weighted overlap with real ranges; 0 when nothing is flagged.</param>
/// <param name="Recall">Mean over real ranges of α·existence + (1 − α)·overlap; 0 when there is no labelled event.</param>
/// <param name="RealRangeCount">Labelled events (real ranges) over all series.</param>
/// <param name="PredictedRangeCount">Maximal runs of flagged points (predicted ranges) over all series.</param>
public sealed record RangeScores(double Precision, double Recall, int RealRangeCount, int PredictedRangeCount)
{
    /// <summary>2·P·R / (P + R); 0 when P + R = 0.</summary>
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}
