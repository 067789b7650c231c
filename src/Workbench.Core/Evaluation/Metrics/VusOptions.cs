namespace Workbench.Evaluation.Metrics;

/// <summary>
/// Parameters of <see cref="VusMetrics"/> (Paparrizos et al., "Volume Under the Surface", PVLDB 15(11), 2022).
/// Defaults: <see cref="MaxBuffer"/> = null (the median length of the labelled events, rounded down),
/// <see cref="ThresholdCount"/> = <see cref="ReferenceThresholdCount"/> (250 sampled thresholds, as the reference).
/// </summary>
public sealed record VusOptions
{
    /// <summary>The reference implementation's number of sampled thresholds (<c>thre=250</c>).</summary>
    public const int ReferenceThresholdCount = 250;

    /// <summary>
    /// Largest buffer length L, in points: the volume averages the range-AUC over buffers ℓ = 0, 1, …, L, and a buffer ℓ
    /// puts a ramp of ⌊ℓ/2⌋ points on each side of every labelled event. Null = the median length of the labelled events
    /// (pooled over series, rounded down), the convention of the reference's helper <c>get_sliding_window</c>; the
    /// reference itself takes L from the caller (usually the data's period). Must be ≥ 0 when given. Default null.
    /// </summary>
    public int? MaxBuffer { get; init; }

    /// <summary>
    /// A number k ≥ 2 = the reference's sampling: the thresholds are the scores at positions ⌊i·(n − 1)/(k − 1)⌋,
    /// i = 0 … k − 1, of the pooled scores sorted descending (<c>np.linspace(0, n - 1, k).astype(int)</c>). The default
    /// <see cref="ReferenceThresholdCount"/> reproduces the reference's numbers. Null = exact: every distinct score (null
    /// scores included, as the lowest) is a threshold, so the curves have every step and ties are one threshold.
    /// Sampling skips steps of the curves and can move the result either way (by about 1e−3 on the NAB corpus, more on
    /// short or tie-heavy series); exact costs O(events·L²) more work, about 4× the time on NAB with its default L.
    /// </summary>
    public int? ThresholdCount { get; init; } = ReferenceThresholdCount;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when <see cref="MaxBuffer"/> is negative or <see cref="ThresholdCount"/> is below 2.</summary>
    public void Validate()
    {
        if (MaxBuffer is { } l && l < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBuffer), l, "the largest buffer length must be >= 0");
        }

        if (ThresholdCount is { } k && k < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(ThresholdCount), k, "the number of sampled thresholds must be >= 2 (null = exact)");
        }
    }
}

/// <summary>Result of <see cref="VusMetrics.Compute(IReadOnlyList{bool[]}, IReadOnlyList{double?[]}, VusOptions?)"/>.</summary>
/// <param name="Roc">VUS-ROC: the mean over ℓ = 0 … L of the range-AUC-ROC; in [0, 1]. NaN when no point or every point is labelled (undefined, as <see cref="RankingMetrics.RocAuc(bool[], double?[])"/>).</param>
/// <param name="Pr">VUS-PR: the mean over ℓ = 0 … L of the range-AUC-PR; in [0, 1]. 0 when no point is labelled (as <see cref="RankingMetrics.AveragePrecision(bool[], double?[])"/>).</param>
/// <param name="MaxBuffer">The largest buffer length L actually used (after the default was resolved).</param>
/// <param name="RocByBuffer">Range-AUC-ROC for each buffer ℓ = 0 … L (index = ℓ); empty when <see cref="Roc"/> is undefined by the labels.</param>
/// <param name="PrByBuffer">Range-AUC-PR for each buffer ℓ = 0 … L (index = ℓ); empty when no point is labelled.</param>
public sealed record VusScores(double Roc, double Pr, int MaxBuffer, IReadOnlyList<double> RocByBuffer, IReadOnlyList<double> PrByBuffer);
