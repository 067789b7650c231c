namespace Workbench.Evaluation.Metrics;

/// <summary>
/// Range-based precision, recall and F1 following Tatbul et al., "Precision and Recall for Time Series" (NeurIPS 2018).
/// Pure functions over one or several series; ranges never span series.
/// </summary>
/// <remarks>
/// <para><b>Ranges.</b> Real ranges are the labelled events as <see cref="EventMetrics"/> defines them (by event id, or
/// maximal runs of labelled points when ids are null). An event given by id whose points are not contiguous is treated
/// as one range of <c>ℓ</c> = its point count, its positions 1..ℓ taken in row order. Predicted ranges are maximal runs
/// of consecutive flagged points.</para>
/// <para><b>Overlap size.</b> ω(R, R ∩ P, δ) = Σ over positions i of R that lie in P of δ(i, ℓ), divided by Σ over all
/// positions of R of δ(i, ℓ), with ℓ = |R| and δ from <see cref="RangeBias"/>. Because ranges of one side are
/// disjoint, Σ_j ω(R, R ∩ P_j, δ) is the bias-weighted fraction of R covered by the other side.</para>
/// <para><b>Recall</b> = mean over real ranges R_i of α·Existence(R_i) + (1 − α)·γ(R_i)·Σ_j ω(R_i, R_i ∩ P_j, δ), with
/// Existence = 1 when any point of R_i is flagged. <b>Precision</b> = mean over predicted ranges P_j of
/// γ(P_j)·Σ_i ω(P_j, P_j ∩ R_i, δ_p) (no existence reward). γ is 1 when the range overlaps at most one range of the
/// other side, else 1 or 1/x for x distinct overlapping ranges (<see cref="RangeMetricOptions.Cardinality"/>).</para>
/// <para><b>Several series</b> pool their ranges: the means run over all real (resp. predicted) ranges of all series.
/// <b>Zero division</b> as <see cref="PointScores"/>: no real range → recall 0; no predicted range → precision 0;
/// F1 0 when both are 0.</para>
/// </remarks>
public static class RangeMetrics
{
    /// <summary>Range-based scores for one series; see the multi-series overload.</summary>
    /// <exception cref="ArgumentException">Lengths differ or event ids contradict labels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Invalid options.</exception>
    public static RangeScores Compute(bool[] labels, int?[]? eventIds, bool[] flags, RangeMetricOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(flags);
        return Compute([labels], eventIds is null ? null : [eventIds], [flags], options);
    }

    /// <summary>
    /// Range-based scores pooled over series: <c>labels[s]</c>, <c>eventIds[s]</c> and <c>flags[s]</c> describe series
    /// <c>s</c>. <paramref name="eventIds"/> null = events are maximal labelled runs; <paramref name="options"/> null =
    /// defaults of <see cref="RangeMetricOptions"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Series counts or lengths differ, or event ids contradict labels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Invalid options.</exception>
    public static RangeScores Compute(
        IReadOnlyList<bool[]> labels, IReadOnlyList<int?[]>? eventIds, IReadOnlyList<bool[]> flags, RangeMetricOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(flags);
        options ??= new RangeMetricOptions();
        options.Validate();
        MetricInput.CheckSeriesCount(labels, flags, nameof(flags));
        MetricInput.CheckSeriesCount(labels, eventIds, nameof(eventIds));

        var recallBias = options.Bias;
        var precisionBias = options.PrecisionBias ?? options.Bias;
        var reciprocal = options.Cardinality == RangeCardinality.Reciprocal;
        var alpha = options.Alpha;

        var spans = new List<EventSpan>();
        var idToEvent = new Dictionary<int, int>();
        double recallSum = 0, precisionSum = 0;
        int realCount = 0, predictedCount = 0;
        int[] eventOf = [], position = [], length = [], lastPredicted = [], predictedSeen = [], lastCountedBy = [];
        double[] covered = [], total = [];

        for (var s = 0; s < labels.Count; s++)
        {
            var l = MetricInput.NotNull(labels, s, nameof(labels));
            var f = MetricInput.NotNull(flags, s, nameof(flags));
            var ids = eventIds is null ? null : MetricInput.NotNull(eventIds, s, nameof(eventIds));
            MetricInput.CheckLength(l, f, s, nameof(flags));
            MetricInput.CheckLength(l, ids, s, nameof(eventIds));

            spans.Clear();
            EventSpan.Extract(l, ids, null, s, spans);
            var n = l.Length;
            var events = spans.Count;
            if (eventOf.Length < n) { eventOf = new int[n]; position = new int[n]; }
            if (length.Length < events)
            {
                length = new int[events];
                lastPredicted = new int[events];
                predictedSeen = new int[events];
                lastCountedBy = new int[events];
                covered = new double[events];
                total = new double[events];
            }

            // Map each labelled row to its event and its 1-based position in it.
            idToEvent.Clear();
            for (var e = 0; e < events; e++)
            {
                length[e] = spans[e].PointCount;
                lastPredicted[e] = -1;
                predictedSeen[e] = 0;
                lastCountedBy[e] = -1;
                covered[e] = 0;
                total[e] = 0;
                if (ids is not null) { idToEvent.Add(spans[e].EventId!.Value, e); }
            }

            if (ids is null)
            {
                Array.Fill(eventOf, -1, 0, n);
                for (var e = 0; e < events; e++)
                {
                    for (var r = spans[e].StartRow; r <= spans[e].EndRow; r++) { eventOf[r] = e; position[r] = r - spans[e].StartRow + 1; }
                }
            }
            else
            {
                for (var r = 0; r < n; r++)
                {
                    if (!l[r]) { eventOf[r] = -1; continue; }
                    var e = idToEvent[ids[r]!.Value];
                    eventOf[r] = e;
                    position[r] = ++predictedSeen[e]; // reused as a running position counter, reset below
                }

                for (var e = 0; e < events; e++) { predictedSeen[e] = 0; }
            }

            // One pass over the predicted ranges (maximal flag runs): precision terms, and the recall terms of the
            // events they touch. Rows inside events but outside any flag run only add to the events' totals.
            var predicted = 0;
            for (var r = 0; r < n; r++)
            {
                if (!f[r])
                {
                    var e = eventOf[r];
                    if (e >= 0) { total[e] += Delta(recallBias, position[r], length[e]); }
                    continue;
                }

                var start = r;
                while (r < n && f[r]) { r++; }
                var end = r; // exclusive
                r--;
                var runLength = end - start;
                double runCovered = 0, runTotal = 0;
                var distinct = 0;
                for (var k = start; k < end; k++)
                {
                    var d = Delta(precisionBias, k - start + 1, runLength);
                    runTotal += d;
                    var e = eventOf[k];
                    if (e < 0) { continue; }
                    runCovered += d;
                    if (lastCountedBy[e] != predicted) { lastCountedBy[e] = predicted; distinct++; }
                    var dr = Delta(recallBias, position[k], length[e]);
                    total[e] += dr;
                    covered[e] += dr;
                    if (lastPredicted[e] != predicted) { lastPredicted[e] = predicted; predictedSeen[e]++; }
                }

                precisionSum += Gamma(reciprocal, distinct) * (runCovered / runTotal);
                predicted++;
            }

            for (var e = 0; e < events; e++)
            {
                var existence = predictedSeen[e] > 0 ? 1.0 : 0.0;
                var overlap = Gamma(reciprocal, predictedSeen[e]) * (covered[e] / total[e]);
                recallSum += (alpha * existence) + ((1 - alpha) * overlap);
            }

            realCount += events;
            predictedCount += predicted;
        }

        return new RangeScores(
            predictedCount == 0 ? 0 : precisionSum / predictedCount,
            realCount == 0 ? 0 : recallSum / realCount,
            realCount,
            predictedCount);
    }

    /// <summary>δ(i, ℓ) for position <paramref name="i"/> (1-based) of a range of <paramref name="length"/> points.</summary>
    internal static double Delta(RangeBias bias, int i, int length) => bias switch
    {
        RangeBias.Flat => 1,
        RangeBias.Front => length - i + 1,
        RangeBias.Back => i,
        RangeBias.Middle => 2 * i <= length ? i : length - i + 1,
        _ => throw new ArgumentOutOfRangeException(nameof(bias), bias, "unknown positional bias"),
    };

    private static double Gamma(bool reciprocal, int overlapping) => reciprocal && overlapping > 1 ? 1.0 / overlapping : 1.0;
}
