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

    /// <summary>
    /// Which of the authors' two definitions: <see cref="VusDefinition.Vldb2022"/> (default; the paper's code) or
    /// <see cref="VusDefinition.TsbAd2024"/> (the revision the authors use since TSB-AD, NeurIPS 2024). See
    /// <see cref="VusDefinition"/> for the two differences.
    /// </summary>
    public VusDefinition Definition { get; init; } = VusDefinition.Vldb2022;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when <see cref="MaxBuffer"/> is negative or <see cref="ThresholdCount"/> is below 2.</summary>
    public void Validate()
    {
        if (MaxBuffer is { } l && l < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBuffer), l, "the largest buffer length must be >= 0");
        }

        if (!Enum.IsDefined(Definition))
        {
            throw new ArgumentOutOfRangeException(nameof(Definition), Definition, "unknown VUS definition");
        }

        if (ThresholdCount is { } k && k < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(ThresholdCount), k, "the number of sampled thresholds must be >= 2 (null = exact)");
        }
    }
}

/// <summary>
/// The two definitions of VUS the authors have published code for. Both share the buffer ramps, segments, existence
/// ratio, sampled thresholds and the ROC trapezoid; they differ in two places.
/// </summary>
public enum VusDefinition
{
    /// <summary>
    /// TheDatumOrg/VUS <c>vus/utils/metrics.py</c>, <c>RangeAUC_volume_opt</c> (commit 365388710fd5, the code of the
    /// PVLDB 2022 paper and of the <c>vus</c> package): P' = (P + Σ soft labels)/2 over <i>every</i> soft label, the same
    /// for all thresholds; Range-AUC-PR by the trapezoid, Σ ΔTPR·(precisionₖ + precisionₖ₋₁)/2.
    /// </summary>
    Vldb2022,

    /// <summary>
    /// TheDatumOrg/TSB-AD <c>TSB_AD/evaluation/basic_metrics.py</c>, <c>RangeAUC_volume_opt</c> (commit 4361675e828a,
    /// Liu and Paparrizos, "The Elephant in the Room: Towards A Reliable Time-Series Anomaly Detection Benchmark",
    /// NeurIPS 2024 Datasets and Benchmarks; the definition the authors' current code uses): P' = P + (soft labels of the
    /// <i>flagged</i> ramp points)/2, so it depends on the threshold; Range-AUC-PR as a step sum, Σ ΔTPR·precisionₖ (as
    /// average precision), which removes the trapezoid's lift of a constant score. TSB-AD calls it with L = 2 × its
    /// sliding window: pass that as <see cref="VusOptions.MaxBuffer"/> to reproduce its numbers.
    /// </summary>
    TsbAd2024,
}

/// <summary>Result of <see cref="VusMetrics.Compute(IReadOnlyList{bool[]}, IReadOnlyList{double?[]}, VusOptions?)"/>.</summary>
/// <param name="Roc">VUS-ROC: the mean over ℓ = 0 … L of the range-AUC-ROC; in [0, 1]. NaN when no point or every point is labelled (undefined, as <see cref="RankingMetrics.RocAuc(bool[], double?[])"/>).</param>
/// <param name="Pr">VUS-PR: the mean over ℓ = 0 … L of the range-AUC-PR; in [0, 1]. 0 when no point is labelled (as <see cref="RankingMetrics.AveragePrecision(bool[], double?[])"/>).</param>
/// <param name="MaxBuffer">The largest buffer length L actually used (after the default was resolved).</param>
/// <param name="RocByBuffer">Range-AUC-ROC for each buffer ℓ = 0 … L (index = ℓ); empty when <see cref="Roc"/> is undefined by the labels.</param>
/// <param name="PrByBuffer">Range-AUC-PR for each buffer ℓ = 0 … L (index = ℓ); empty when no point is labelled.</param>
public sealed record VusScores(double Roc, double Pr, int MaxBuffer, IReadOnlyList<double> RocByBuffer, IReadOnlyList<double> PrByBuffer);
