using Workbench.Evaluation.Metrics;

namespace Workbench.Evaluation.Thresholds;

/// <summary>
/// Turns continuous anomaly scores (higher = more anomalous) into flags. Every strategy ends in one rule: a point is
/// flagged when its score is present and ≥ <see cref="ThresholdResult.Threshold"/>; only the choice of the threshold
/// differs. Several series are pooled: one threshold is chosen over all their scores together.
/// </summary>
/// <remarks>
/// A null score (no score: warm-up, missing value) never flags and is ignored when a threshold is chosen from the
/// scores (percentile, top-k); for the best-F1 oracle its labelled points count as false negatives. Scores must be
/// finite: NaN or ±∞ is rejected with an <see cref="ArgumentException"/> naming the series and row.
/// </remarks>
public abstract record ThresholdStrategy
{
    /// <summary>Whether the strategy chooses its threshold from the evaluation labels (results are then optimistic).</summary>
    public virtual bool IsOracle => false;

    /// <summary>Short description used in <see cref="ThresholdResult.Strategy"/>.</summary>
    public abstract string Describe();

    /// <summary>Applies the strategy to one series; see the multi-series overload.</summary>
    public ThresholdResult Apply(double?[] scores, bool[]? labels = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return Apply([scores], labels is null ? null : [labels]);
    }

    /// <summary>
    /// Chooses the threshold over all series of <paramref name="scores"/> and flags every present score ≥ it.
    /// <paramref name="labels"/> (same shape as the scores) is required by oracle strategies and otherwise only checked.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes differ, or an oracle gets no labels (non-finite scores follow <see cref="ScorePolicy"/>).</exception>
    public ThresholdResult Apply(IReadOnlyList<double?[]> scores, IReadOnlyList<bool[]>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        Validate();
        for (var s = 0; s < scores.Count; s++)
        {
            _ = scores[s] ?? throw new ArgumentException($"Series {s}: scores is null.", nameof(scores));
        }

        // NaN = no score, ±∞ = ±double.MaxValue (ScorePolicy); a copy only when some score is not finite.
        scores = ScorePolicy.Clean(scores);

        if (labels is not null)
        {
            if (labels.Count != scores.Count)
            {
                throw new ArgumentException($"labels has {labels.Count} series but scores has {scores.Count}.", nameof(labels));
            }

            for (var s = 0; s < labels.Count; s++)
            {
                var l = MetricInput.NotNull(labels, s, nameof(labels));
                if (l.Length != scores[s].Length)
                {
                    throw new ArgumentException(
                        $"Series {s}: labels has {l.Length} points but scores has {scores[s].Length}.", nameof(labels));
                }
            }
        }
        else if (IsOracle)
        {
            throw new ArgumentException($"{Describe()} chooses its threshold from the labels, so labels are required.", nameof(labels));
        }

        var threshold = ChooseThreshold(scores, labels);
        var flags = new bool[scores.Count][];
        long flagged = 0;
        for (var s = 0; s < scores.Count; s++)
        {
            var sc = scores[s];
            var f = new bool[sc.Length];
            for (var i = 0; i < sc.Length; i++)
            {
                if (sc[i] is { } v && v >= threshold) { f[i] = true; flagged++; }
            }

            flags[s] = f;
        }

        return new ThresholdResult(Describe(), threshold, IsOracle, flags, flagged);
    }

    /// <summary>Checks the strategy's own parameters.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    protected abstract void Validate();

    /// <summary>The threshold for these (validated, finite) scores; <see cref="double.PositiveInfinity"/> flags nothing.</summary>
    protected abstract double ChooseThreshold(IReadOnlyList<double?[]> scores, IReadOnlyList<bool[]>? labels);

    /// <summary>
    /// The k-th highest present score over all series (k ≥ 1), or +∞ when k = 0 or no score is present; when fewer
    /// than k scores are present, the lowest present score.
    /// </summary>
    private protected static double KthHighest(IReadOnlyList<double?[]> scores, long k)
    {
        var present = PresentSorted(scores);
        if (k <= 0 || present.Length == 0) { return double.PositiveInfinity; }
        var rank = (int)Math.Min(k, present.Length);
        return present[present.Length - rank];
    }

    /// <summary>The present scores of all series, ascending.</summary>
    private protected static double[] PresentSorted(IReadOnlyList<double?[]> scores)
    {
        var n = 0;
        foreach (var sc in scores) { foreach (var v in sc) { if (v.HasValue) { n++; } } }
        var present = new double[n];
        var j = 0;
        foreach (var sc in scores) { foreach (var v in sc) { if (v is { } x) { present[j++] = x; } } }
        Array.Sort(present);
        return present;
    }
}

/// <summary>A fixed threshold, e.g. the one from the detector spec: flag when score ≥ <paramref name="Value"/>.</summary>
/// <param name="Value">The threshold in the detector's score units; any non-NaN value (±∞ allowed: −∞ flags every present score, +∞ none).</param>
public sealed record FixedThreshold(double Value) : ThresholdStrategy
{
    /// <inheritdoc/>
    public override string Describe() => FormattableString.Invariant($"fixed({Value})");

    /// <inheritdoc/>
    protected override void Validate()
    {
        if (double.IsNaN(Value)) { throw new ArgumentOutOfRangeException(nameof(Value), "The fixed threshold is NaN."); }
    }

    /// <inheritdoc/>
    protected override double ChooseThreshold(IReadOnlyList<double?[]> scores, IReadOnlyList<bool[]>? labels) => Value;
}

/// <summary>
/// Flags the top <paramref name="Percent"/> % of present scores. Definition (nearest rank): with n present scores over
/// all series, k = ⌈Percent · n / 100⌉ and the threshold is the k-th highest present score, i.e. the
/// (100 − Percent)-th percentile by the nearest-rank rule. Ties: every score equal to the threshold is flagged, so more
/// than k points may be flagged when the boundary score is tied. k = 0 (Percent = 0 or no present score) flags nothing
/// (threshold +∞).
/// </summary>
/// <param name="Percent">Share of present scores to flag, in percent, in [0, 100].</param>
public sealed record PercentileThreshold(double Percent) : ThresholdStrategy
{
    /// <inheritdoc/>
    public override string Describe() => FormattableString.Invariant($"percentile({Percent})");

    /// <inheritdoc/>
    protected override void Validate()
    {
        if (!(Percent >= 0 && Percent <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(Percent), Percent, "The percentile share must be in [0, 100].");
        }
    }

    /// <inheritdoc/>
    protected override double ChooseThreshold(IReadOnlyList<double?[]> scores, IReadOnlyList<bool[]>? labels)
    {
        long n = 0;
        foreach (var sc in scores) { foreach (var v in sc) { if (v.HasValue) { n++; } } }

        // Exact for n up to 2^53: the product is rounded once; a tiny epsilon keeps e.g. 10 % of 30 at 3, not 4.
        var k = (long)Math.Ceiling((Percent * n / 100) - 1e-9);
        return KthHighest(scores, k);
    }
}

/// <summary>
/// Flags the <paramref name="K"/> highest present scores over all series: the threshold is the K-th highest present
/// score. Ties: every score equal to the threshold is flagged, so more than K points are flagged when the K-th score is
/// tied with the (K+1)-th (the result never depends on the order of the input). Fewer than K present scores: all are
/// flagged. K = 0 flags nothing (threshold +∞).
/// </summary>
/// <param name="K">Number of points to flag, ≥ 0.</param>
public sealed record TopKThreshold(int K) : ThresholdStrategy
{
    /// <inheritdoc/>
    public override string Describe() => FormattableString.Invariant($"top-k({K})");

    /// <inheritdoc/>
    protected override void Validate() => ArgumentOutOfRangeException.ThrowIfNegative(K);

    /// <inheritdoc/>
    protected override double ChooseThreshold(IReadOnlyList<double?[]> scores, IReadOnlyList<bool[]>? labels) =>
        KthHighest(scores, K);
}

/// <summary>
/// <b>Oracle.</b> The threshold that maximises point-wise F1 (<see cref="PointScores.F1"/>, pooled over series) against
/// the evaluation labels. Found exactly: the present scores are sorted once and every distinct score is tried as the
/// threshold in one sweep (plus +∞ = flag nothing); F1 values are compared as exact fractions. Ties: among thresholds
/// with the same best F1 the highest one (fewest flags) is chosen; with no labelled point every F1 is 0 and nothing is
/// flagged. Labelled points with a null score can never be flagged and count as false negatives.
/// Results are optimistic (the labels were used to tune) and are marked <see cref="ThresholdResult.IsOracle"/>.
/// </summary>
public sealed record BestF1Threshold : ThresholdStrategy
{
    /// <inheritdoc/>
    public override bool IsOracle => true;

    /// <inheritdoc/>
    public override string Describe() => "best-f1 (oracle)";

    /// <inheritdoc/>
    protected override void Validate()
    {
    }

    /// <inheritdoc/>
    protected override double ChooseThreshold(IReadOnlyList<double?[]> scores, IReadOnlyList<bool[]>? labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        long n = 0, totalPos = 0;
        for (var s = 0; s < scores.Count; s++)
        {
            var sc = scores[s];
            var l = labels[s];
            for (var i = 0; i < sc.Length; i++)
            {
                if (l[i]) { totalPos++; }
                if (sc[i].HasValue) { n++; }
            }
        }

        var keys = new double[n];
        var positive = new bool[n];
        var j = 0;
        for (var s = 0; s < scores.Count; s++)
        {
            var sc = scores[s];
            var l = labels[s];
            for (var i = 0; i < sc.Length; i++)
            {
                if (sc[i] is { } v) { keys[j] = v; positive[j] = l[i]; j++; }
            }
        }

        Array.Sort(keys, positive);

        // Candidate "flag nothing": F1 = 0 / (totalPos) — represented as numerator 0, denominator max(1, totalPos).
        var best = double.PositiveInfinity;
        long bestNum = 0, bestDen = Math.Max(1, totalPos);
        long tp = 0, fp = 0;
        var k = keys.Length - 1;
        while (k >= 0)
        {
            var key = keys[k];
            while (k >= 0 && keys[k] == key)
            {
                if (positive[k]) { tp++; } else { fp++; }
                k--;
            }

            // F1 = 2TP / (2TP + FP + FN) with FN = totalPos − TP; the denominator is > 0 since at least one point is flagged.
            var num = 2 * tp;
            var den = tp + fp + totalPos;
            if ((Int128)num * bestDen > (Int128)bestNum * den)
            {
                best = key;
                bestNum = num;
                bestDen = den;
            }
        }

        return best;
    }
}
