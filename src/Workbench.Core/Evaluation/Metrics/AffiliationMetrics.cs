namespace Workbench.Evaluation.Metrics;

/// <summary>
/// Affiliation precision and recall (Huet, Navarro, Rossi, "Local Evaluation of Time Series Anomaly Detection
/// Algorithms", KDD 2022), with the definitions of the authors' reference <c>affiliation-metrics-py</c>
/// (<c>pr_from_events</c>). Pure functions on flags; exact closed-form integrals, O(n) per series.
/// </summary>
/// <remarks>
/// <para><b>Events as intervals.</b> A maximal run of labelled points i … j is the ground-truth interval J = [i, j + 1);
/// a maximal run of flagged points is a predicted interval likewise; a series of n points spans [0, n).</para>
/// <para><b>Zones.</b> Each ground-truth event J_k owns its affiliation zone E_k: the points of [0, n) closer to J_k than
/// to any other event (boundaries at the midpoints of the gaps). Predicted intervals are cut at the zone boundaries.</para>
/// <para><b>Precision of a zone</b> (only zones holding part of a prediction): the mean, over the predicted points x in
/// E_k, of F̄(d(x, J_k)), where F̄(d) is the probability that a point drawn uniformly from E_k lies at distance ≥ d from
/// J_k (1 inside J_k). <b>Recall of a zone</b>: the mean, over y in J_k, of the probability that a point drawn uniformly
/// from E_k lies farther from y than the nearest predicted point of the zone; 0 when the zone holds no prediction.
/// Both are integrals over continuous time, computed exactly.</para>
/// <para><b>Aggregation.</b> Recall = mean over all zones; precision = mean over the zones holding a prediction. Several
/// series pool their zones (the means run over all zones of all series), as the reference pools the zones of one
/// series. <b>Empty cases</b> (as the reference): no zone holds a prediction → precision NaN; no labelled event at all →
/// precision and recall NaN (the reference refuses the input). Flags in a series without any event fall in no zone and
/// are ignored.</para>
/// </remarks>
public static class AffiliationMetrics
{
    /// <summary>Affiliation precision and recall of one series; see the multi-series overload.</summary>
    /// <exception cref="ArgumentException">Lengths differ.</exception>
    public static AffiliationScores Compute(bool[] labels, bool[] flags)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(flags);
        return Compute([labels], [flags]);
    }

    /// <summary>
    /// Affiliation precision and recall pooled over series: <c>labels[s]</c> and <c>flags[s]</c> describe series <c>s</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Series counts or lengths differ, or a series is null (the message names the series).</exception>
    public static AffiliationScores Compute(IReadOnlyList<bool[]> labels, IReadOnlyList<bool[]> flags)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(flags);
        MetricInput.CheckSeriesCount(labels, flags, nameof(flags));
        var zones = new List<AffiliationZone>();
        var truth = new List<(int Start, int End)>();
        var predicted = new List<(int Start, int End)>();
        for (var s = 0; s < labels.Count; s++)
        {
            var l = MetricInput.NotNull(labels, s, nameof(labels));
            var f = MetricInput.NotNull(flags, s, nameof(flags));
            MetricInput.CheckLength(l, f, s, nameof(flags));
            Runs(l, truth);
            Runs(f, predicted);
            var next = 0; // first predicted interval that may reach the current zone
            for (var k = 0; k < truth.Count; k++)
            {
                double js = truth[k].Start, je = truth[k].End;
                var lo = k == 0 ? 0 : (truth[k - 1].End + js) / 2;
                var hi = k == truth.Count - 1 ? l.Length : (je + truth[k + 1].Start) / 2;
                while (next < predicted.Count && predicted[next].End <= lo) { next++; }

                double covered = 0, precisionIntegral = 0, recallIntegral = 0;
                var pieces = 0;
                double previousEnd = 0;
                for (var p = next; p < predicted.Count && predicted[p].Start < hi; p++)
                {
                    var a = Math.Max(predicted[p].Start, lo);
                    var b = Math.Min(predicted[p].End, hi);
                    if (b <= a) { continue; }
                    covered += b - a;
                    precisionIntegral += PrecisionIntegral(a, b, js, je, lo, hi);

                    // Recall: the part of J nearest to this piece lies between the midpoints to its neighbours.
                    var cellStart = pieces == 0 ? double.NegativeInfinity : (previousEnd + a) / 2;
                    var cellEnd = double.PositiveInfinity;
                    if (p + 1 < predicted.Count && predicted[p + 1].Start < hi)
                    {
                        cellEnd = (b + predicted[p + 1].Start) / 2;
                    }

                    recallIntegral += RecallIntegral(Math.Max(js, cellStart), Math.Min(je, cellEnd), a, b, lo, hi);
                    previousEnd = b;
                    pieces++;
                }

                var precision = pieces == 0 ? double.NaN : precisionIntegral / covered;
                var recall = pieces == 0 ? 0 : recallIntegral / (je - js);
                zones.Add(new AffiliationZone(s, truth[k].Start, truth[k].End - 1, lo, hi, precision, recall));
            }
        }

        // Sums in ascending order of the terms, so that the order of the series (or of the zones) cannot change the last bits.
        var precisions = zones.Where(z => !double.IsNaN(z.Precision)).Select(z => z.Precision).Order().ToArray();
        var withPrediction = precisions.Length;
        var precisionSum = 0.0;
        foreach (var v in precisions) { precisionSum += v; }
        var recallSum = 0.0;
        foreach (var v in zones.Select(z => z.Recall).Order()) { recallSum += v; }

        return new AffiliationScores(
            withPrediction == 0 ? double.NaN : precisionSum / withPrediction,
            zones.Count == 0 ? double.NaN : recallSum / zones.Count,
            zones.Count,
            withPrediction,
            zones);
    }

    /// <summary>Maximal runs of true values as half-open intervals [start, end).</summary>
    private static void Runs(bool[] values, List<(int Start, int End)> output)
    {
        output.Clear();
        for (var i = 0; i < values.Length; i++)
        {
            if (!values[i]) { continue; }
            var start = i;
            while (i < values.Length && values[i]) { i++; }
            output.Add((start, i));
        }
    }

    /// <summary>
    /// ∫ over x in [a, b] of F̄(d(x, J)), J = [js, je] inside the zone [lo, hi]. Outside J,
    /// F̄(d) = 1 − (|J| + d + min(d, m)) / |E| with m = min(js − lo, hi − je); inside J it is 1.
    /// </summary>
    private static double PrecisionIntegral(double a, double b, double js, double je, double lo, double hi)
    {
        var zone = hi - lo;
        var length = je - js;
        var m = Math.Min(js - lo, hi - je);
        double total = Math.Max(0, Math.Min(b, je) - Math.Max(a, js)); // inside J
        if (a < js)
        {
            var end = Math.Min(b, js);
            total += Primitive(js - a, m, length, zone) - Primitive(js - end, m, length, zone);
        }

        if (b > je)
        {
            var start = Math.Max(a, je);
            total += Primitive(b - je, m, length, zone) - Primitive(start - je, m, length, zone);
        }

        return total;
    }

    /// <summary>∫₀^d F̄ for the precision: d − (|J|·d + d²/2 + ∫₀^d min(t, m) dt) / |E|.</summary>
    private static double Primitive(double d, double m, double length, double zone)
    {
        var minPart = d <= m ? d * d / 2 : (m * m / 2) + (m * (d - m));
        return d - (((length * d) + (d * d / 2) + minPart) / zone);
    }

    /// <summary>
    /// ∫ over y in [u, v] of the probability that a uniform point of the zone [lo, hi] is farther from y than the
    /// predicted piece [p, q] (the nearest piece for every y in [u, v]): 1 − |[y − d, y + d] ∩ [lo, hi]| / (hi − lo).
    /// </summary>
    private static double RecallIntegral(double u, double v, double p, double q, double lo, double hi)
    {
        if (v <= u) { return 0; }
        var zone = hi - lo;
        double total = Math.Max(0, Math.Min(v, q) - Math.Max(u, p)); // y inside the piece: distance 0, probability 1
        if (u < p)
        {
            // y < p: the window is [2y − p, p], cut at lo below; its length is p − lo until y = (p + lo)/2, then 2p − 2y.
            var end = Math.Min(v, p);
            var w = Math.Clamp((p + lo) / 2, u, end);
            var cut = ((p - lo) * (w - u)) + ((2 * p * (end - w)) - ((end * end) - (w * w)));
            total += (end - u) - (cut / zone);
        }

        if (v > q)
        {
            // y > q: the window is [q, 2y − q], cut at hi above; its length is 2y − 2q until y = (q + hi)/2, then hi − q.
            var start = Math.Max(u, q);
            var w = Math.Clamp((q + hi) / 2, start, v);
            var cut = ((w * w) - (start * start) - (2 * q * (w - start))) + ((hi - q) * (v - w));
            total += (v - start) - (cut / zone);
        }

        return total;
    }
}

/// <summary>Affiliation precision and recall (Huet et al., KDD 2022); see <see cref="AffiliationMetrics"/>.</summary>
/// <param name="Precision">Mean precision probability over the zones holding a prediction, in [0, 1]; NaN when none does.</param>
/// <param name="Recall">Mean recall probability over all zones, in [0, 1]; NaN when no series has a labelled event.</param>
/// <param name="ZoneCount">Affiliation zones (= labelled events) over all series.</param>
/// <param name="ZonesWithPrediction">Zones holding part of a prediction (those averaged into <see cref="Precision"/>).</param>
/// <param name="Zones">Every zone, in series and row order.</param>
public sealed record AffiliationScores(double Precision, double Recall, int ZoneCount, int ZonesWithPrediction, IReadOnlyList<AffiliationZone> Zones)
{
    /// <summary>2·P·R / (P + R); 0 when P + R = 0; NaN when either is NaN.</summary>
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>One affiliation zone: a labelled event and the stretch of its series closest to it.</summary>
/// <param name="Series">Series index.</param>
/// <param name="EventStartRow">First row of the event.</param>
/// <param name="EventEndRow">Last row of the event (inclusive).</param>
/// <param name="ZoneStart">Start of the zone in continuous time (rows; a point i covers [i, i + 1)); may end in .5.</param>
/// <param name="ZoneEnd">End of the zone in continuous time; the series' row count for the last event.</param>
/// <param name="Precision">Precision probability of the zone in [0, 1]; NaN when it holds no prediction.</param>
/// <param name="Recall">Recall probability of the zone in [0, 1]; 0 when it holds no prediction.</param>
public sealed record AffiliationZone(int Series, int EventStartRow, int EventEndRow, double ZoneStart, double ZoneEnd, double Precision, double Recall);
