namespace Workbench.Evaluation.Metrics;

/// <summary>
/// VUS-ROC and VUS-PR: the volume under the range-AUC surface (Paparrizos, Boniol, Palpanas, Tsay, Elmore, Franklin,
/// "Volume Under the Surface: a new accuracy evaluation measure for time-series anomaly detection", PVLDB 15(11), 2022),
/// with the definitions of the authors' reference code (TheDatumOrg/VUS, <c>RangeAUC_volume_opt</c>). Pure functions;
/// threshold-free (they rank continuous scores, like <see cref="RankingMetrics"/>).
/// </summary>
/// <remarks>
/// <para><b>Buffer ℓ.</b> Events are maximal runs of labelled points. For a buffer length ℓ every event [s, e] gets a
/// soft ramp of h = ⌊ℓ/2⌋ points on each side: a point at distance k ≤ h before s or after e gains √(1 − k/ℓ); ramps of
/// neighbouring events add up; every label is then capped at 1 (event points stay 1). ℓ = 0 and ℓ = 1 add nothing.
/// Events whose ramps touch (e_i + h ≥ s_{i+1} − h) merge into one <i>segment</i>.</para>
/// <para><b>One threshold θ</b> flags every point scoring ≥ θ. With P the number of labelled points, Σℓ the sum of the soft
/// labels, P' = (P + Σℓ)/2 and n the number of points: TP = Σ soft label of flagged points;
/// TPR = min(TP / P', 1) · (segments holding a flagged point / segments); FPR = (flagged − TP) / (n − P');
/// precision = TP / flagged.</para>
/// <para><b>Range-AUC for one ℓ.</b> ROC: trapezoidal area through (0, 0), the (FPR, TPR) of every threshold from the
/// highest score down, and (1, 1). PR: Σ (TPRₖ − TPRₖ₋₁)(precisionₖ + precisionₖ₋₁)/2 from the anchor (TPR 0,
/// precision 1) through every threshold (no final anchor), exactly as the reference. <b>VUS</b> = mean over ℓ = 0 … L.</para>
/// <para><b>Scores and several series.</b> Higher is more anomalous; a null score is the lowest score (ties with the
/// other nulls), never dropped, as in <see cref="RankingMetrics"/>; NaN is rejected. Several series are pooled: one
/// threshold sweep over all points, counts summed, while ramps and segments stay inside their series (a ramp is cut at
/// the series' ends, as the reference cuts it at the ends of its one series). For a per-series mean, call the
/// single-series overload per series.</para>
/// <para><b>Cost.</b> One sort, then O(T + events·ℓ) per buffer ℓ without allocation (T = number of thresholds: the
/// distinct scores, or <see cref="VusOptions.ThresholdCount"/>).</para>
/// </remarks>
public static class VusMetrics
{
    /// <summary>VUS-ROC and VUS-PR of one series; see the multi-series overload.</summary>
    /// <exception cref="ArgumentException">Lengths differ or a score is NaN.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Invalid options.</exception>
    public static VusScores Compute(bool[] labels, double?[] scores, VusOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        return Compute([labels], [scores], options);
    }

    /// <summary>
    /// VUS-ROC and VUS-PR pooled over series: <c>labels[s]</c> and <c>scores[s]</c> describe series <c>s</c>.
    /// <paramref name="options"/> null = defaults of <see cref="VusOptions"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Series counts or lengths differ, a series is null, or a score is NaN (the message names series and row).</exception>
    /// <exception cref="ArgumentOutOfRangeException">Invalid options.</exception>
    public static VusScores Compute(IReadOnlyList<bool[]> labels, IReadOnlyList<double?[]> scores, VusOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        options ??= new VusOptions();
        options.Validate();
        MetricInput.CheckSeriesCount(labels, scores, nameof(scores));

        var n = 0;
        for (var s = 0; s < labels.Count; s++)
        {
            var l = MetricInput.NotNull(labels, s, nameof(labels));
            MetricInput.CheckLength(l, MetricInput.NotNull(scores, s, nameof(scores)), s, nameof(scores));
            n += l.Length;
        }

        // Pool the series: negated keys (for a descending sort), event flags, and the events with their series bounds.
        var keys = new double[n];
        var order = new int[n];
        var core = new bool[n];
        var events = new List<Event>();
        var offset = 0;
        long positives = 0;
        for (var s = 0; s < labels.Count; s++)
        {
            var l = labels[s];
            var sc = scores[s];
            for (var i = 0; i < l.Length; i++)
            {
                var v = sc[i];
                if (v.HasValue && double.IsNaN(v.Value))
                {
                    throw new ArgumentException($"Series {s}, row {i}: score is NaN; use null for 'no score'.", nameof(scores));
                }

                keys[offset + i] = -(v ?? double.NegativeInfinity);
                order[offset + i] = offset + i;
                core[offset + i] = l[i];
            }

            for (var i = 0; i < l.Length; i++)
            {
                if (!l[i]) { continue; }
                var start = i;
                while (i < l.Length && l[i]) { i++; }
                events.Add(new Event(offset + start, offset + i - 1, offset, offset + l.Length - 1));
                positives += i - start;
            }

            offset += l.Length;
        }

        var maxBuffer = options.MaxBuffer ?? MedianEventLength(events);
        if (positives == 0)
        {
            return new VusScores(double.NaN, 0, maxBuffer, [], []);
        }

        Array.Sort(keys, order);

        // Groups of tied scores, highest first; per group the number of points flagged at it and how many are labelled.
        var groupOfPoint = new int[n];
        var groupEnd = new List<int>();
        var groupCore = new List<long>();
        long coreSoFar = 0;
        for (var k = 0; k < n; k++)
        {
            if (k > 0 && keys[k] != keys[k - 1])
            {
                groupEnd.Add(k);
                groupCore.Add(coreSoFar);
            }

            groupOfPoint[order[k]] = groupEnd.Count;
            if (core[order[k]]) { coreSoFar++; }
        }

        groupEnd.Add(n);
        groupCore.Add(coreSoFar);
        var groups = groupEnd.Count;

        // Threshold slots: every group (exact), or the reference's sampled positions of the sorted scores.
        int slots;
        int[] slotOfGroup = new int[groups];
        double[] flaggedAt;
        double[] coreAt;
        if (options.ThresholdCount is { } count)
        {
            slots = count;
            flaggedAt = new double[slots];
            coreAt = new double[slots];
            var step = (double)(n - 1) / (count - 1);
            var g = 0;
            for (var j = 0; j < slots; j++)
            {
                var position = j == slots - 1 ? n - 1 : (int)(j * step);
                var group = groupOfPoint[order[position]];
                while (g <= group) { slotOfGroup[g++] = j; }
                flaggedAt[j] = groupEnd[group];
                coreAt[j] = groupCore[group];
            }
        }
        else
        {
            slots = groups;
            flaggedAt = new double[slots];
            coreAt = new double[slots];
            for (var g = 0; g < groups; g++)
            {
                slotOfGroup[g] = g;
                flaggedAt[g] = groupEnd[g];
                coreAt[g] = groupCore[g];
            }
        }

        var slotOf = groupOfPoint; // reused in place: point → threshold slot at which it is first flagged
        for (var i = 0; i < n; i++) { slotOf[i] = slotOfGroup[slotOf[i]]; }

        var eventCount = events.Count;
        var coreMinSlot = new int[eventCount];
        for (var e = 0; e < eventCount; e++)
        {
            var min = int.MaxValue;
            for (var i = events[e].Start; i <= events[e].End; i++) { min = Math.Min(min, slotOf[i]); }
            coreMinSlot[e] = min;
        }

        var sweep = new Sweep(n, positives, slots, eventCount, flaggedAt, coreAt);
        var roc = new double[maxBuffer + 1];
        var pr = new double[maxBuffer + 1];
        for (var buffer = 0; buffer <= maxBuffer; buffer++)
        {
            (roc[buffer], pr[buffer]) = sweep.RangeAuc(buffer, events, core, slotOf, coreMinSlot);
        }

        double rocSum = 0, prSum = 0;
        for (var b = 0; b <= maxBuffer; b++)
        {
            rocSum += roc[b];
            prSum += pr[b];
        }

        var allLabelled = positives == n;
        return new VusScores(
            allLabelled ? double.NaN : rocSum / (maxBuffer + 1),
            prSum / (maxBuffer + 1),
            maxBuffer,
            allLabelled ? [] : roc,
            pr);
    }

    /// <summary>The median event length rounded down (numpy's median of the lengths, then <c>int</c>); 0 without events.</summary>
    private static int MedianEventLength(List<Event> events)
    {
        if (events.Count == 0) { return 0; }
        var lengths = new int[events.Count];
        for (var e = 0; e < lengths.Length; e++) { lengths[e] = events[e].End - events[e].Start + 1; }
        Array.Sort(lengths);
        var mid = lengths.Length / 2;
        return lengths.Length % 2 == 1 ? lengths[mid] : (int)Math.Floor((lengths[mid - 1] + (double)lengths[mid]) / 2);
    }

    /// <summary>A labelled event [Start, End] (pooled positions, inclusive) and the pooled bounds of its series.</summary>
    private readonly record struct Event(int Start, int End, int SeriesFirst, int SeriesLast);

    /// <summary>Buffers reused by every ℓ of one computation.</summary>
    private sealed class Sweep
    {
        private readonly int n;
        private readonly long positives;
        private readonly int slots;
        private readonly double[] flaggedAt;
        private readonly double[] coreAt;
        private readonly double[] soft;
        private readonly double[] rampDelta;
        private readonly int[] existDelta;
        private readonly int[] segmentMin;
        private int[] touched;

        public Sweep(int n, long positives, int slots, int eventCount, double[] flaggedAt, double[] coreAt)
        {
            this.n = n;
            this.positives = positives;
            this.slots = slots;
            this.flaggedAt = flaggedAt;
            this.coreAt = coreAt;
            soft = new double[n];
            rampDelta = new double[slots];
            existDelta = new int[slots];
            segmentMin = new int[eventCount];
            touched = new int[Math.Min(n, 64)];
        }

        /// <summary>(Range-AUC-ROC, Range-AUC-PR) for buffer <paramref name="buffer"/>.</summary>
        public (double Roc, double Pr) RangeAuc(int buffer, List<Event> events, bool[] core, int[] slotOf, int[] coreMinSlot)
        {
            var h = buffer / 2;
            var segments = 0;
            var touchedCount = 0;
            for (var e = 0; e < events.Count; e++)
            {
                var ev = events[e];
                var merge = e > 0 && events[e - 1].SeriesFirst == ev.SeriesFirst && events[e - 1].End + h >= ev.Start - h;
                if (!merge)
                {
                    segmentMin[segments++] = coreMinSlot[e];
                }
                else if (coreMinSlot[e] < segmentMin[segments - 1])
                {
                    segmentMin[segments - 1] = coreMinSlot[e];
                }

                if (h == 0) { continue; }
                var seg = segments - 1;

                // Right ramp first, then left, per event in order: the reference's order of additions.
                var rightEnd = Math.Min(ev.End + h, ev.SeriesLast);
                for (var x = ev.End + 1; x <= rightEnd; x++)
                {
                    touchedCount = AddRamp(x, Math.Sqrt(1 - ((double)(x - ev.End) / buffer)), seg, core, slotOf, touchedCount);
                }

                for (var x = Math.Max(ev.Start - h, ev.SeriesFirst); x < ev.Start; x++)
                {
                    touchedCount = AddRamp(x, Math.Sqrt(1 - ((double)(ev.Start - x) / buffer)), seg, core, slotOf, touchedCount);
                }
            }

            double softSum = positives;
            for (var t = 0; t < touchedCount; t++)
            {
                var x = touched[t];
                var v = Math.Min(1.0, soft[x]);
                soft[x] = 0;
                rampDelta[slotOf[x]] += v;
                softSum += v;
            }

            for (var s = 0; s < segments; s++) { existDelta[segmentMin[s]]++; }

            var pNew = (positives + softSum) / 2;
            var nNew = n - pNew;
            double ramp = 0, roc = 0, pr = 0, tprPrev = 0, fprPrev = 0, precPrev = 1;
            var existing = 0;
            for (var j = 0; j < slots; j++)
            {
                ramp += rampDelta[j];
                rampDelta[j] = 0;
                existing += existDelta[j];
                existDelta[j] = 0;
                var tp = coreAt[j] + ramp;
                var flagged = flaggedAt[j];
                var tpr = Math.Min(tp / pNew, 1) * ((double)existing / segments);
                var fpr = (flagged - tp) / nNew;
                var precision = tp / flagged;
                roc += (fpr - fprPrev) * (tpr + tprPrev);
                pr += (tpr - tprPrev) * (precision + precPrev);
                tprPrev = tpr;
                fprPrev = fpr;
                precPrev = precision;
            }

            roc += (1 - fprPrev) * (1 + tprPrev);
            return (roc / 2, pr / 2);
        }

        private int AddRamp(int x, double value, int segment, bool[] core, int[] slotOf, int touchedCount)
        {
            if (core[x]) { return touchedCount; } // a labelled point of a merged neighbour stays at 1
            if (soft[x] == 0)
            {
                if (touchedCount == touched.Length) { Array.Resize(ref touched, Math.Min(n, touched.Length * 2)); }
                touched[touchedCount++] = x;
            }

            soft[x] += value;
            if (slotOf[x] < segmentMin[segment]) { segmentMin[segment] = slotOf[x]; }
            return touchedCount;
        }
    }
}
