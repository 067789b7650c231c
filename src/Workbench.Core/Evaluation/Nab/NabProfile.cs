namespace Workbench.Evaluation.Nab;

/// <summary>
/// A NAB application profile: the cost matrix weights from NAB's <c>config/profiles.json</c>
/// (see <c>nab-scoring.md</c> section 5). <c>A_TN</c> plays no part in scoring and is not modelled.
/// </summary>
/// <param name="Name">The profile name as NAB writes it (<c>standard</c>, <c>reward_low_FP_rate</c>, <c>reward_low_FN_rate</c>).</param>
/// <param name="TruePositiveWeight"><c>A_TP</c>: the worth of a detection on the first row of a window; &gt; 0.</param>
/// <param name="FalsePositiveWeight"><c>A_FP</c>: the largest cost of one detection outside every window; ≥ 0.</param>
/// <param name="FalseNegativeWeight"><c>A_FN</c>: the cost of a window with no detection; ≥ 0.</param>
public sealed record NabProfile(string Name, double TruePositiveWeight, double FalsePositiveWeight, double FalseNegativeWeight)
{
    /// <summary>NAB's <c>standard</c> profile: A_TP 1.0, A_FP 0.11, A_FN 1.0.</summary>
    public static NabProfile Standard { get; } = new("standard", 1.0, 0.11, 1.0);

    /// <summary>NAB's <c>reward_low_FP_rate</c> profile: A_TP 1.0, A_FP 0.22, A_FN 1.0.</summary>
    public static NabProfile RewardLowFp { get; } = new("reward_low_FP_rate", 1.0, 0.22, 1.0);

    /// <summary>NAB's <c>reward_low_FN_rate</c> profile: A_TP 1.0, A_FP 0.11, A_FN 2.0.</summary>
    public static NabProfile RewardLowFn { get; } = new("reward_low_FN_rate", 1.0, 0.11, 2.0);

    /// <summary>The three NAB profiles in the order standard, reward_low_FP_rate, reward_low_FN_rate.</summary>
    public static IReadOnlyList<NabProfile> All { get; } = [Standard, RewardLowFp, RewardLowFn];

    /// <summary>Throws <see cref="ArgumentException"/> naming the field when a weight is out of range or not finite.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("NAB profile: Name must not be empty");
        }

        Check(TruePositiveWeight, nameof(TruePositiveWeight), allowZero: false);
        Check(FalsePositiveWeight, nameof(FalsePositiveWeight), allowZero: true);
        Check(FalseNegativeWeight, nameof(FalseNegativeWeight), allowZero: true);
    }

    private void Check(double value, string field, bool allowZero)
    {
        if (!double.IsFinite(value) || value < 0 || (!allowZero && value == 0))
        {
            throw new ArgumentException($"NAB profile '{Name}': {field} must be finite and {(allowZero ? "≥ 0" : "> 0")}, got {value}");
        }
    }
}
