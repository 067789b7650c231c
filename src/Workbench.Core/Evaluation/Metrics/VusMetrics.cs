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
/// <para><b>Cost.</b> One sort and O(T) prefix sums (T = number of thresholds: the distinct scores, or
/// <see cref="VusOptions.ThresholdCount"/>), then per buffer ℓ only O(m log m + log T) for the m ≈ events·ℓ ramp points
/// and segments: runs of thresholds that change neither the ramp mass nor the segment count are summed in O(1) from the
/// prefix sums. No allocation per point or per ℓ.</para>
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
                var v = ScorePolicy.Clean(sc[i]);

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

        var sweep = new Sweep(n, positives, slots, flaggedAt, coreAt, events, core, slotOf, maxBuffer, options.Definition == VusDefinition.TsbAd2024);
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

    /// <summary>
    /// Buffers reused by every ℓ of one computation, and ℓ-independent prefix sums over the threshold slots. Between two
    /// slots where the ramp mass or the segment count changes (ramp points and first detections of segments, few per ℓ),
    /// TP = C + R with R fixed, so the trapezoid terms of a run of slots are sums of ℓ-independent prefix sums; only the
    /// slots that change something, and the one slot where TP/P' first reaches 1, are evaluated one by one.
    /// </summary>
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
        private readonly int[] zonePosition; // non-labelled points within ⌊L/2⌋ of an event of their series, by slot
        private readonly int[] zoneDistance; // distance to the nearest event of the series
        private readonly int[] zoneSlot;
        private readonly int[] rampSlots;
        private readonly int[] segmentSlots;
        private readonly int[] specials;
        private readonly int[] segmentMin;

        // For j ≥ 1 (index 0 = 0): D_j = ΔF_j − ΔC_j; A0 = Σ D; A1 = Σ D_j (C_j + C_{j−1});
        // B0 = Σ ΔC_j (1/F_j + 1/F_{j−1}); B1 = Σ ΔC_j (C_j/F_j + C_{j−1}/F_{j−1}).
        private readonly double[] a0;
        private readonly double[] a1;
        private readonly double[] b0;
        private readonly double[] b1;

        // TSB-AD 2024 only (P' from the flagged ramp mass, PR as a step sum): S0 = Σ ΔC_j / F_j; S1 = Σ ΔC_j C_j / F_j.
        private readonly bool revised;
        private readonly double[] s0;
        private readonly double[] s1;

        // State of the walk at the last evaluated slot.
        private double tprPrev;
        private double fprPrev;
        private double precPrev;
        private double roc;
        private double pr;

        public Sweep(int n, long positives, int slots, double[] flaggedAt, double[] coreAt, List<Event> events, bool[] core, int[] slotOf, int maxBuffer, bool revised)
        {
            this.revised = revised;
            var eventCount = events.Count;
            this.n = n;
            this.positives = positives;
            this.slots = slots;
            this.flaggedAt = flaggedAt;
            this.coreAt = coreAt;
            soft = new double[n];
            rampDelta = new double[slots];
            existDelta = new int[slots];
            segmentMin = new int[eventCount];
            segmentSlots = new int[eventCount];

            // The zone: every point a ramp can reach for some ℓ ≤ L, with its distance to the nearest event, sorted by slot
            // once so that each ℓ walks the ramp points in threshold order without sorting.
            var hMax = maxBuffer / 2;
            var distance = new int[hMax > 0 ? n : 0];
            var zone = new List<int>();
            foreach (var ev in events)
            {
                for (var x = Math.Max(ev.Start - hMax, ev.SeriesFirst); x <= Math.Min(ev.End + hMax, ev.SeriesLast) && hMax > 0; x++)
                {
                    if (core[x]) { continue; }
                    var d = x < ev.Start ? ev.Start - x : x - ev.End;
                    if (distance[x] == 0) { zone.Add(x); distance[x] = d; }
                    else if (d < distance[x]) { distance[x] = d; }
                }
            }

            zonePosition = [.. zone];
            zoneSlot = new int[zonePosition.Length];
            zoneDistance = new int[zonePosition.Length];
            for (var z = 0; z < zonePosition.Length; z++) { zoneSlot[z] = slotOf[zonePosition[z]]; }
            Array.Sort(zoneSlot, zonePosition);
            for (var z = 0; z < zonePosition.Length; z++) { zoneDistance[z] = distance[zonePosition[z]]; }
            rampSlots = new int[zonePosition.Length];
            specials = new int[zonePosition.Length + eventCount];
            a0 = new double[slots];
            a1 = new double[slots];
            b0 = new double[slots];
            b1 = new double[slots];
            s0 = new double[revised ? slots : 0];
            s1 = new double[revised ? slots : 0];
            for (var j = 1; j < slots; j++)
            {
                double f = flaggedAt[j], fp = flaggedAt[j - 1], c = coreAt[j], cp = coreAt[j - 1];
                var d = (f - fp) - (c - cp);
                a0[j] = a0[j - 1] + d;
                a1[j] = a1[j - 1] + (d * (c + cp));
                b0[j] = b0[j - 1] + ((c - cp) * ((1 / f) + (1 / fp)));
                b1[j] = b1[j - 1] + ((c - cp) * ((c / f) + (cp / fp)));
                if (revised)
                {
                    s0[j] = s0[j - 1] + ((c - cp) / f);
                    s1[j] = s1[j - 1] + ((c - cp) * c / f);
                }
            }
        }

        /// <summary>(Range-AUC-ROC, Range-AUC-PR) for buffer <paramref name="buffer"/>.</summary>
        public (double Roc, double Pr) RangeAuc(int buffer, List<Event> events, bool[] core, int[] slotOf, int[] coreMinSlot)
        {
            var h = buffer / 2;
            var segments = 0;
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
                    AddRamp(x, Math.Sqrt(1 - ((double)(x - ev.End) / buffer)), seg, core, slotOf);
                }

                for (var x = Math.Max(ev.Start - h, ev.SeriesFirst); x < ev.Start; x++)
                {
                    AddRamp(x, Math.Sqrt(1 - ((double)(ev.Start - x) / buffer)), seg, core, slotOf);
                }
            }

            // Ramp points in slot order (soft labels capped at 1 and cleared for the next ℓ), then the segments' first slots.
            double softSum = positives;
            var rampCount = 0;
            for (var z = 0; z < zonePosition.Length; z++)
            {
                if (zoneDistance[z] > h) { continue; }
                var x = zonePosition[z];
                var v = Math.Min(1.0, soft[x]);
                soft[x] = 0;
                var slot = zoneSlot[z];
                rampDelta[slot] += v;
                softSum += v;
                if (rampCount == 0 || rampSlots[rampCount - 1] != slot) { rampSlots[rampCount++] = slot; }
            }

            for (var s = 0; s < segments; s++)
            {
                existDelta[segmentMin[s]]++;
                segmentSlots[s] = segmentMin[s];
            }

            Array.Sort(segmentSlots, 0, segments);
            var specialCount = 0;
            int ri = 0, si = 0;
            while (ri < rampCount || si < segments)
            {
                var slot = si == segments || (ri < rampCount && rampSlots[ri] <= segmentSlots[si]) ? rampSlots[ri++] : segmentSlots[si++];
                if (specialCount == 0 || specials[specialCount - 1] != slot) { specials[specialCount++] = slot; }
            }

            // P' and N' for the current flagged ramp mass: fixed (2022), or P + ramp/2 (2024), which changes only at the
            // special slots, so it is constant over every run.
            var pFixed = (positives + softSum) / 2;
            double PNew(double flaggedRamp) => revised ? positives + (flaggedRamp / 2) : pFixed;
            tprPrev = 0;
            fprPrev = 0;
            precPrev = 1;
            roc = 0;
            pr = 0;
            double ramp = 0;
            var existing = 0;
            var next = 0; // first slot not yet evaluated
            for (var k = 0; k <= specialCount; k++)
            {
                var special = k < specialCount ? specials[k] : slots;
                var pNew = PNew(ramp);
                if (next == 0 && special > 0)
                {
                    Step(0, ramp, existing, segments, pNew, n - pNew);
                    next = 1;
                }

                if (next < special)
                {
                    Run(next, special - 1, ramp, existing, segments, pNew, n - pNew);
                }

                if (special < slots)
                {
                    ramp += rampDelta[special];
                    existing += existDelta[special];
                    rampDelta[special] = 0;
                    existDelta[special] = 0;
                    pNew = PNew(ramp);
                    Step(special, ramp, existing, segments, pNew, n - pNew);
                    next = special + 1;
                }
            }

            roc += (1 - fprPrev) * (1 + tprPrev);
            return (roc / 2, pr / 2);
        }

        /// <summary>One trapezoid step from the previous evaluated slot to slot <paramref name="j"/>.</summary>
        private void Step(int j, double ramp, int existing, int segments, double pNew, double nNew)
        {
            var tp = coreAt[j] + ramp;
            var flagged = flaggedAt[j];
            var tpr = Math.Min(tp / pNew, 1) * ((double)existing / segments);
            var fpr = (flagged - tp) / nNew;
            var precision = tp / flagged;
            roc += (fpr - fprPrev) * (tpr + tprPrev);
            pr += (tpr - tprPrev) * (revised ? 2 * precision : precision + precPrev);
            tprPrev = tpr;
            fprPrev = fpr;
            precPrev = precision;
        }

        /// <summary>Steps to slots <paramref name="lo"/> … <paramref name="hi"/> (lo ≥ 1), over which R and the segment count do not change.</summary>
        private void Run(int lo, int hi, double ramp, int existing, int segments, double pNew, double nNew)
        {
            var e = (double)existing / segments;
            int capped; // first slot whose step starts from TP / P' ≥ 1
            if ((coreAt[lo - 1] + ramp) / pNew < 1)
            {
                // First slot in [lo, hi] where TP / P' reaches 1 (TP never decreases); hi + 1 if none.
                int left = lo, right = hi + 1;
                if ((coreAt[hi] + ramp) / pNew < 1) { left = right; } // the usual case: no crossing in this run
                while (left < right)
                {
                    var mid = left + ((right - left) / 2);
                    if ((coreAt[mid] + ramp) / pNew >= 1) { right = mid; } else { left = mid + 1; }
                }

                capped = left;
                if (capped > lo)
                {
                    roc += e / (pNew * nNew) * ((a1[capped - 1] - a1[lo - 1]) + (2 * ramp * (a0[capped - 1] - a0[lo - 1])));
                    pr += revised
                        ? 2 * e / pNew * ((s1[capped - 1] - s1[lo - 1]) + (ramp * (s0[capped - 1] - s0[lo - 1])))
                        : e / pNew * ((b1[capped - 1] - b1[lo - 1]) + (ramp * (b0[capped - 1] - b0[lo - 1])));
                }

                if (capped > hi)
                {
                    SetPrevious(hi, ramp, e, pNew, nNew);
                    return;
                }

                SetPrevious(capped - 1, ramp, e, pNew, nNew);
                Step(capped, ramp, existing, segments, pNew, nNew);
                capped++;
            }
            else
            {
                capped = lo;
            }

            if (capped <= hi)
            {
                roc += 2 * e * (a0[hi] - a0[capped - 1]) / nNew;
            }

            SetPrevious(hi, ramp, e, pNew, nNew);
        }

        private void SetPrevious(int j, double ramp, double e, double pNew, double nNew)
        {
            var tp = coreAt[j] + ramp;
            tprPrev = Math.Min(tp / pNew, 1) * e;
            fprPrev = (flaggedAt[j] - tp) / nNew;
            precPrev = tp / flaggedAt[j];
        }

        private void AddRamp(int x, double value, int segment, bool[] core, int[] slotOf)
        {
            if (core[x]) { return; } // a labelled point of a merged neighbour stays at 1
            soft[x] += value;
            if (slotOf[x] < segmentMin[segment]) { segmentMin[segment] = slotOf[x]; }
        }
    }
}
