using System.Globalization;
using Plotly.NET;
using Plotly.NET.LayoutObjects;
using Workbench.Evaluation.Metrics;

namespace Workbench.Charts;

/// <summary>
/// ROC and precision–recall curves of several detectors on one chart, from labels and continuous scores. Scores are
/// ranked exactly as <see cref="RankingMetrics"/> ranks them (null = lowest, ties form one threshold), and the legend
/// shows the AUC / AP that <see cref="RankingMetrics"/> computes, so the drawn curve's area is the number in the legend.
/// </summary>
/// <remarks>
/// ROC: one line per detector through (FPR, TPR) at every distinct score from the highest down, starting at (0, 0),
/// plus a dashed chance diagonal. PR: one step line per detector through (recall, precision) — drawn with plotly's
/// <c>vh</c> steps, so the area under it is exactly the average precision — plus a dashed line at the share of
/// anomalous points (a random detector's precision) when all detectors share the same labels. Runs of points on one
/// horizontal or vertical line are reduced to their ends (the drawn curve is unchanged).
/// </remarks>
public static class RankingCurves
{
    /// <summary>The ROC curves; the legend reads <c>name (AUC 0.873)</c>, or <c>AUC n/a</c> when a detector's labels hold one class only.</summary>
    /// <exception cref="ArgumentException">No detector, label and score lists disagree in count or length, or a score is NaN.</exception>
    public static GenericChart Roc(IReadOnlyList<DetectorScores> detectors, string? title = null)
    {
        CheckDetectors(detectors);
        var traces = new List<Trace>();
        for (var d = 0; d < detectors.Count; d++)
        {
            var det = detectors[d];
            var auc = RankingMetrics.RocAuc(det.Labels, det.Scores);
            var (fpr, tpr) = RocPoints(det.Labels, det.Scores);
            var label = string.Create(CultureInfo.InvariantCulture, $"{det.Name} (AUC {(double.IsNaN(auc) ? "n/a" : auc.ToString("0.000", CultureInfo.InvariantCulture))})");
            traces.Add(Fig.Scatter(label, "lines").With("x", fpr).With("y", tpr).With("line", Fig.Line(ColorScheme.ForIndex(d), 2)));
        }

        traces.Add(Fig.Scatter("chance", "lines").With("x", new[] { 0.0, 1.0 }).With("y", new[] { 0.0, 1.0 })
            .With("line", Fig.Line("#999999", 1, "dash")).With("hoverinfo", "skip"));
        return Fig.Chart(traces, UnitSquare(title, "false positive rate", "true positive rate"));
    }

    /// <summary>The precision–recall curves; the legend reads <c>name (AP 0.412)</c>.</summary>
    /// <exception cref="ArgumentException">No detector, label and score lists disagree in count or length, or a score is NaN.</exception>
    public static GenericChart PrecisionRecall(IReadOnlyList<DetectorScores> detectors, string? title = null)
    {
        CheckDetectors(detectors);
        var traces = new List<Trace>();
        for (var d = 0; d < detectors.Count; d++)
        {
            var det = detectors[d];
            var ap = RankingMetrics.AveragePrecision(det.Labels, det.Scores);
            var (recall, precision) = PrPoints(det.Labels, det.Scores);
            var label = string.Create(CultureInfo.InvariantCulture, $"{det.Name} (AP {ap:0.000})");
            traces.Add(Fig.Scatter(label, "lines").With("x", recall).With("y", precision)
                .With("line", Fig.Line(ColorScheme.ForIndex(d), 2).With("shape", "vh")));
        }

        if (SharedPositiveShare(detectors) is double share)
        {
            traces.Add(Fig.Scatter(string.Create(CultureInfo.InvariantCulture, $"random ({share:0.000})"), "lines")
                .With("x", new[] { 0.0, 1.0 }).With("y", new[] { share, share })
                .With("line", Fig.Line("#999999", 1, "dash")).With("hoverinfo", "skip"));
        }

        return Fig.Chart(traces, UnitSquare(title, "recall", "precision"));
    }

    /// <summary>ROC points (FPR, TPR) from (0, 0) over the thresholds; empty when a class is absent.</summary>
    internal static (double[] Fpr, double[] Tpr) RocPoints(IReadOnlyList<bool[]> labels, IReadOnlyList<double?[]> scores)
    {
        var (keys, positive) = RankingMetrics.Rank(labels, scores);
        long pos = 0;
        foreach (var p in positive) { if (p) { pos++; } }
        long neg = positive.Length - pos;
        if (pos == 0 || neg == 0) { return ([], []); }

        var xs = new List<double> { 0 };
        var ys = new List<double> { 0 };
        long tp = 0, fp = 0;
        for (var j = keys.Length - 1; j >= 0;)
        {
            var key = keys[j];
            while (j >= 0 && keys[j] == key)
            {
                if (positive[j]) { tp++; } else { fp++; }
                j--;
            }

            xs.Add((double)fp / neg);
            ys.Add((double)tp / pos);
        }

        return Compact(xs, ys);
    }

    /// <summary>PR points (recall, precision), the first at recall 0 with the first threshold's precision; empty when no point is labelled.</summary>
    internal static (double[] Recall, double[] Precision) PrPoints(IReadOnlyList<bool[]> labels, IReadOnlyList<double?[]> scores)
    {
        var (keys, positive) = RankingMetrics.Rank(labels, scores);
        long pos = 0;
        foreach (var p in positive) { if (p) { pos++; } }
        if (pos == 0) { return ([], []); }

        var xs = new List<double>();
        var ys = new List<double>();
        long tp = 0, flagged = 0;
        for (var j = keys.Length - 1; j >= 0;)
        {
            var key = keys[j];
            while (j >= 0 && keys[j] == key)
            {
                if (positive[j]) { tp++; }
                flagged++;
                j--;
            }

            var precision = (double)tp / flagged;
            if (xs.Count == 0)
            {
                xs.Add(0);
                ys.Add(precision);
            }

            xs.Add((double)tp / pos);
            ys.Add(precision);
        }

        return Compact(xs, ys);
    }

    /// <summary>Drops the inner points of runs with equal x or equal y (the polyline and its steps are unchanged).</summary>
    private static (double[], double[]) Compact(List<double> xs, List<double> ys)
    {
        var ox = new List<double>(xs.Count);
        var oy = new List<double>(ys.Count);
        for (var i = 0; i < xs.Count; i++)
        {
            var inner = i > 0 && i < xs.Count - 1
                && ((xs[i - 1] == xs[i] && xs[i] == xs[i + 1]) || (ys[i - 1] == ys[i] && ys[i] == ys[i + 1]));
            if (!inner)
            {
                ox.Add(xs[i]);
                oy.Add(ys[i]);
            }
        }

        return (ox.ToArray(), oy.ToArray());
    }

    private static void CheckDetectors(IReadOnlyList<DetectorScores> detectors)
    {
        ArgumentNullException.ThrowIfNull(detectors);
        if (detectors.Count == 0)
        {
            throw new ArgumentException("No detector to draw.", nameof(detectors));
        }

        for (var d = 0; d < detectors.Count; d++)
        {
            var det = detectors[d] ?? throw new ArgumentException($"Detector {d} is null.", nameof(detectors));
            ArgumentNullException.ThrowIfNull(det.Name);
            ArgumentNullException.ThrowIfNull(det.Labels);
            ArgumentNullException.ThrowIfNull(det.Scores);
            try
            {
                // Validates counts, lengths, nulls and NaN with messages naming the series and row.
                _ = RankingMetrics.AveragePrecision(det.Labels, det.Scores);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Detector '{det.Name}': {e.Message}", nameof(detectors), e);
            }
        }
    }

    /// <summary>The share of labelled points when every detector has the same labels; otherwise null.</summary>
    private static double? SharedPositiveShare(IReadOnlyList<DetectorScores> detectors)
    {
        var first = detectors[0].Labels;
        for (var d = 1; d < detectors.Count; d++)
        {
            var other = detectors[d].Labels;
            if (other.Count != first.Count) { return null; }
            for (var s = 0; s < first.Count; s++)
            {
                if (!ReferenceEquals(first[s], other[s]) && !first[s].AsSpan().SequenceEqual(other[s])) { return null; }
            }
        }

        long pos = 0, total = 0;
        foreach (var l in first)
        {
            foreach (var p in l) { if (p) { pos++; } }
            total += l.Length;
        }

        return total == 0 ? null : (double)pos / total;
    }

    private static Layout UnitSquare(string? title, string xTitle, string yTitle) =>
        Fig.Layout(title, 480)
            .With("xaxis", new LinearAxis().With("title", Fig.Title(xTitle)).With("range", new[] { -0.01, 1.01 }).With("constrain", "domain"))
            .With("yaxis", new LinearAxis().With("title", Fig.Title(yTitle)).With("range", new[] { -0.01, 1.01 }))
            .With("legend", new Legend().With("x", 0.55).With("y", 0.05).With("bgcolor", "rgba(255,255,255,0.8)"));
}
