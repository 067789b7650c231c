namespace Workbench.Evaluation.Metrics;

/// <summary>
/// Positional bias δ(i, ℓ) of the range-based metrics (Tatbul et al., NeurIPS 2018): the weight of position
/// <c>i</c> (1-based) in a range of <c>ℓ</c> points when overlap sizes are measured.
/// </summary>
public enum RangeBias
{
    /// <summary>δ = 1: every position counts the same (overlap size = overlapping fraction of the range).</summary>
    Flat,

    /// <summary>δ = ℓ − i + 1: early positions weigh more (rewards catching the start of an anomaly).</summary>
    Front,

    /// <summary>δ = i: late positions weigh more.</summary>
    Back,

    /// <summary>δ = i when i ≤ ℓ/2, else ℓ − i + 1: the middle of the range weighs most.</summary>
    Middle,
}

/// <summary>Cardinality factor γ of the range-based metrics: how a range overlapped by several ranges of the other side is penalised.</summary>
public enum RangeCardinality
{
    /// <summary>γ = 1: fragmentation is not penalised.</summary>
    One,

    /// <summary>γ = 1/x when the range overlaps x &gt; 1 distinct ranges of the other side, else 1 (the paper's suggested default).</summary>
    Reciprocal,
}

/// <summary>
/// Parameters of <see cref="RangeMetrics"/>. Defaults: <see cref="Alpha"/> = 0 (no existence reward),
/// <see cref="Bias"/> = <see cref="RangeBias.Flat"/>, <see cref="PrecisionBias"/> = null (same as <see cref="Bias"/>),
/// <see cref="Cardinality"/> = <see cref="RangeCardinality.Reciprocal"/>.
/// </summary>
/// <remarks>
/// With α = 0, flat bias and γ = 1 (the paper's "classic" setting) and ranges that are all single points, range precision
/// and recall equal the point-wise ones. Precision never has an existence reward (α = 0 for precision, as the paper
/// recommends). Call <see cref="Validate"/> or let <see cref="RangeMetrics"/> do it.
/// </remarks>
public sealed record RangeMetricOptions
{
    /// <summary>Weight α in [0, 1] of the existence reward in recall (1 = event recall, 0 = overlap only). Default 0.</summary>
    public double Alpha { get; init; }

    /// <summary>Positional bias δ of the overlap size in recall (and in precision unless <see cref="PrecisionBias"/> is set). Default flat.</summary>
    public RangeBias Bias { get; init; } = RangeBias.Flat;

    /// <summary>Positional bias δ of the overlap size in precision; null = <see cref="Bias"/>. Default null.</summary>
    public RangeBias? PrecisionBias { get; init; }

    /// <summary>Cardinality factor γ used by both precision and recall. Default <see cref="RangeCardinality.Reciprocal"/>.</summary>
    public RangeCardinality Cardinality { get; init; } = RangeCardinality.Reciprocal;

    /// <summary>The paper's "classic" setting: α = 0, flat bias, γ = 1.</summary>
    public static RangeMetricOptions Classic { get; } = new() { Cardinality = RangeCardinality.One };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when α is not a number in [0, 1] or an enum value is undefined.</summary>
    public void Validate()
    {
        if (!(Alpha >= 0 && Alpha <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "alpha must be a number in [0, 1]");
        }

        if (!Enum.IsDefined(Bias))
        {
            throw new ArgumentOutOfRangeException(nameof(Bias), Bias, "unknown positional bias");
        }

        if (PrecisionBias is { } p && !Enum.IsDefined(p))
        {
            throw new ArgumentOutOfRangeException(nameof(PrecisionBias), p, "unknown positional bias");
        }

        if (!Enum.IsDefined(Cardinality))
        {
            throw new ArgumentOutOfRangeException(nameof(Cardinality), Cardinality, "unknown cardinality factor");
        }
    }
}
