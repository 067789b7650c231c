namespace Workbench.Evaluation.Metrics;

/// <summary>
/// How evaluation treats scores that are not finite (docs/METRICS.md, "Non-finite scores"): a NaN score is
/// <b>no score</b>, exactly like null (it ranks below every score, is never flagged and is not counted as scored);
/// +∞ and −∞ are the highest and lowest possible scores and are taken as ±<see cref="double.MaxValue"/>. No metric
/// throws on a non-finite score.
/// </summary>
public static class ScorePolicy
{
    /// <summary>The score as evaluation uses it: null for null or NaN, ±<see cref="double.MaxValue"/> for ±∞.</summary>
    public static double? Clean(double? score) =>
        score is not { } v || double.IsNaN(v) ? null
        : v > double.MaxValue ? double.MaxValue
        : v < -double.MaxValue ? -double.MaxValue
        : v;

    /// <summary>
    /// <paramref name="scores"/> with every score cleaned (see <see cref="Clean(double?)"/>); the same list when all are finite
    /// or null (no copy).
    /// </summary>
    public static IReadOnlyList<double?[]> Clean(IReadOnlyList<double?[]> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var dirty = false;
        foreach (var sc in scores)
        {
            if (sc is null)
            {
                continue;
            }

            foreach (var v in sc)
            {
                if (v is { } x && !double.IsFinite(x))
                {
                    dirty = true;
                    break;
                }
            }

            if (dirty)
            {
                break;
            }
        }

        if (!dirty)
        {
            return scores;
        }

        var result = new double?[scores.Count][];
        for (var s = 0; s < result.Length; s++)
        {
            var sc = scores[s];
            if (sc is null)
            {
                result[s] = null!;
                continue;
            }

            var copy = new double?[sc.Length];
            for (var i = 0; i < copy.Length; i++)
            {
                copy[i] = Clean(sc[i]);
            }

            result[s] = copy;
        }

        return result;
    }

    /// <summary>
    /// A NAB anomaly score as the NAB scorer uses it: NaN (no score) becomes −<see cref="double.MaxValue"/>, the lowest
    /// score (flagged by no threshold above it), ±∞ become ±<see cref="double.MaxValue"/>.
    /// </summary>
    public static double CleanNab(double score) =>
        double.IsNaN(score) ? -double.MaxValue
        : score > double.MaxValue ? double.MaxValue
        : score < -double.MaxValue ? -double.MaxValue
        : score;
}
