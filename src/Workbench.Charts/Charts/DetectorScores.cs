using Workbench.Operators.Detection;

namespace Workbench.Charts;

/// <summary>
/// One detector's scores with the labels they are ranked against, for the ROC and precision–recall charts. Several
/// series are pooled as <see cref="Workbench.Evaluation.Metrics.RankingMetrics"/> pools them (list i of
/// <see cref="Scores"/> belongs to list i of <see cref="Labels"/>).
/// </summary>
/// <param name="Name">The detector's name or spec; shown in the legend with its AUC / AP.</param>
/// <param name="Labels">Per series, whether each point is labelled anomalous.</param>
/// <param name="Scores">Per series, each point's score (higher = more anomalous; null = no score, ranked lowest).</param>
public sealed record DetectorScores(string Name, IReadOnlyList<bool[]> Labels, IReadOnlyList<double?[]> Scores)
{
    /// <summary>One series given as plain arrays.</summary>
    public static DetectorScores FromArrays(string name, bool[] labels, double?[] scores)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        return new DetectorScores(name, [labels], [scores]);
    }

    /// <summary>A detector's output (labels from <c>Observation.Label.IsAnomaly</c>), pooled as one list.</summary>
    public static DetectorScores FromScored(string name, IReadOnlyList<ScoredObservation> scored)
    {
        ArgumentNullException.ThrowIfNull(scored);
        var labels = new bool[scored.Count];
        var scores = new double?[scored.Count];
        for (var i = 0; i < scored.Count; i++)
        {
            labels[i] = scored[i].Observation.Label.IsAnomaly;
            scores[i] = scored[i].Score;
        }

        return new DetectorScores(name, [labels], [scores]);
    }

    /// <summary>A thresholded detector's output (the flags are ignored: curves sweep every threshold).</summary>
    public static DetectorScores FromFlagged(string name, IReadOnlyList<FlaggedObservation> flagged)
    {
        ArgumentNullException.ThrowIfNull(flagged);
        var labels = new bool[flagged.Count];
        var scores = new double?[flagged.Count];
        for (var i = 0; i < flagged.Count; i++)
        {
            labels[i] = flagged[i].Observation.Label.IsAnomaly;
            scores[i] = flagged[i].Score;
        }

        return new DetectorScores(name, [labels], [scores]);
    }
}
