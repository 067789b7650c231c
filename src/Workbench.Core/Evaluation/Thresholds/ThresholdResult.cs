namespace Workbench.Evaluation.Thresholds;

/// <summary>The flags a <see cref="ThresholdStrategy"/> produced, with the threshold it used and whether it is an oracle.</summary>
/// <param name="Strategy">Short description of the strategy, e.g. <c>fixed(3)</c>, <c>percentile(1)</c>, <c>top-k(10)</c>, <c>best-f1 (oracle)</c>.</param>
/// <param name="Threshold">The threshold applied: a point is flagged when its score is present and ≥ this value.
/// <see cref="double.PositiveInfinity"/> means nothing is flagged (scores must be finite, so none reaches it).</param>
/// <param name="IsOracle">True when the threshold was chosen by looking at the evaluation labels (best-F1): every figure
/// computed from these flags is optimistic and must be reported as an oracle result.</param>
/// <param name="Flags">Per series, one flag per score (<c>Flags[s][i]</c> for <c>scores[s][i]</c>).</param>
/// <param name="FlaggedCount">Total flagged points over all series.</param>
public sealed record ThresholdResult(
    string Strategy, double Threshold, bool IsOracle, IReadOnlyList<bool[]> Flags, long FlaggedCount);
